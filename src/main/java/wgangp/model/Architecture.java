package wgangp.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which pair of networks trains (the {@code model} key): the original MLP of {@link GeneratorSpec}
 * and {@link CriticSpec}, or the convolutional {@link DcganSpec}.
 */
public enum Architecture {
    MLP,
    DCGAN;

    public static Architecture parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown model '" + text + "', expected one of "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
