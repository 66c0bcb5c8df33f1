package wgangp.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Hidden-layer activation. The exact gradient penalty needs the activation's second derivative to
 * vanish almost everywhere, so only the piecewise-linear ones may appear in a critic.
 */
public enum Activation {
    LEAKYRELU(true),
    RELU(true),
    IDENTITY(true),
    TANH(false),
    SIGMOID(false),
    SOFTPLUS(false),
    ELU(false);

    private final boolean piecewiseLinear;

    Activation(boolean piecewiseLinear) {
        this.piecewiseLinear = piecewiseLinear;
    }

    public boolean isPiecewiseLinear() {
        return piecewiseLinear;
    }

    /** Slope left of zero, for the piecewise-linear ones: the mask value where the input is negative. */
    public double negativeSlope(double leakySlope) {
        return switch (this) {
            case LEAKYRELU -> leakySlope;
            case RELU -> 0.0;
            case IDENTITY -> 1.0;
            default -> throw new IllegalStateException(this + " is not piecewise-linear");
        };
    }

    /**
     * A leaky ReLU's mask for input x, 1 where x &gt; 0 and slope elsewhere, without a branch for
     * host loops: the signs are random, so a branch mispredicts half the time (3–5× slower). Exact
     * for every float but positive subnormals (below 1.2e-38), which get a mask between slope and 1.
     */
    public static float leakyMask(float x, float slope) {
        return slope + (1f - slope) * Math.min(1f, Math.max(0f, x * 0x1p126f));
    }

    public static Activation parse(String text) {
        try {
            return valueOf(text.trim().replace("_", "").replace("-", "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + text + "', expected one of "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
