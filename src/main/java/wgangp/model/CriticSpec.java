package wgangp.model;

import java.util.ArrayList;
import wgangp.model.layers.Dense;
import wgangp.model.layers.Layer;
import wgangp.model.layers.LayerNetwork;
import wgangp.model.layers.LeakyRelu;

import java.io.Serializable;
import java.util.List;

/**
 * Shape of the critic: inputSize → hidden… → 1, dense layers, one activation (and optional
 * normalization) after every hidden layer, identity output.
 */
public record CriticSpec(int inputSize, List<Integer> hidden, Activation activation, double leakySlope,
                         Normalization normalization) implements Serializable {

    public CriticSpec {
        hidden = List.copyOf(hidden);
        if (inputSize <= 0) {
            throw new IllegalArgumentException("critic input size must be positive, got " + inputSize);
        }
        for (int width : hidden) {
            if (width <= 0) {
                throw new IllegalArgumentException("critic hidden widths must be positive, got " + hidden);
            }
        }
    }

    /**
     * Refuses a critic whose penalty gradient the closed form in {@link GradientPenalty} would get
     * wrong: it is exact only when every layer is piecewise-linear.
     */
    public void requireExactPenalty() {
        requireNoNormalization(normalization);
        requirePiecewiseLinear(activation);
    }

    /** Refuses a critic normalization that breaks the closed-form penalty (any but none). */
    public static Normalization requireNoNormalization(Normalization normalization) {
        if (normalization != Normalization.NONE) {
            throw new UnsupportedCriticException("critic.normalization=" + normalization
                    + " breaks the exact gradient penalty (it couples the samples of a batch and is not"
                    + " piecewise-linear, and WGAN-GP advises against it); use critic.normalization=none");
        }
        return normalization;
    }

    /** Refuses a critic activation the closed-form penalty does not cover (not piecewise-linear). */
    public static Activation requirePiecewiseLinear(Activation activation) {
        if (!activation.isPiecewiseLinear()) {
            throw new UnsupportedCriticException("critic.activation=" + activation
                    + " is not piecewise-linear, so the exact gradient penalty does not apply;"
                    + " use leakyrelu, relu or identity");
        }
        return activation;
    }

    /** Mask value of the hidden activation where its input is negative. */
    public double negativeSlope() {
        return activation.negativeSlope(leakySlope);
    }

    /**
     * This critic, the one definition of it: Linear l is PyTorch's {@code Sequential} index 2l
     * (Linear, activation, Linear, …), its weight stored [in, out]. Refuses a critic the exact
     * penalty does not cover.
     */
    public LayerNetwork network() {
        requireExactPenalty();
        int[] w = widths();
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l + 1 < w.length; l++) {
            layers.add(Dense.storedInOut("model." + 2 * l, w[l], w[l + 1]));
            if (l + 2 < w.length && activation != Activation.IDENTITY) {
                layers.add(new LeakyRelu(new long[] {w[l + 1]}, negativeSlope()));
            }
        }
        return LayerNetwork.critic(new long[] {inputSize}, layers);
    }

    /** Widths of every layer, input first, the single output last. */
    public int[] widths() {
        int[] w = new int[hidden.size() + 2];
        w[0] = inputSize;
        for (int i = 0; i < hidden.size(); i++) {
            w[i + 1] = hidden.get(i);
        }
        w[w.length - 1] = 1;
        return w;
    }
}
