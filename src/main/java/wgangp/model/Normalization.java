package wgangp.model;

import java.util.Arrays;
import java.util.Locale;

/** Normalization after a hidden dense layer. Only NONE keeps a critic's penalty gradient exact. */
public enum Normalization {
    NONE,
    BATCHNORM,
    LAYERNORM;

    public static Normalization parse(String text) {
        try {
            return valueOf(text.trim().replace("_", "").replace("-", "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown normalization '" + text + "', expected one of "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
