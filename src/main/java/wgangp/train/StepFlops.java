package wgangp.train;

import wgangp.model.Architecture;
import wgangp.model.CriticSpec;
import wgangp.model.DcganSpec;
import wgangp.model.GeneratorSpec;

/**
 * Floating-point operations of the matrix products in one training step (2 per multiply-add), as
 * this engine performs them; element-wise work is left out. Used to report how close training runs
 * to the machine's sgemm peak.
 */
public final class StepFlops {
    private StepFlops() {
    }

    /** Per critic iteration: one critic update plus 1/nCritic of a generator update. */
    public static double perCriticIteration(WganGpConfig config) {
        if (config.architecture() == Architecture.DCGAN) {
            return dcganCriticIteration(config);
        }
        return criticUpdate(config) + generatorUpdate(config) / config.nCritic();
    }

    /**
     * dcgan on the layer path: per critic update, G(z) on B rows, the critic forward, input-gradient
     * pass and weight gradients on 3B rows, the tangent on B rows; per generator update, G forward
     * and backward (input and weight gradients) and D forward and input gradient on B rows.
     */
    private static double dcganCriticIteration(WganGpConfig config) {
        long b = config.batch();
        DcganSpec spec = config.dcgan();
        double g = spec.generatorMacsPerSample();
        double d = spec.criticMacsPerSample();
        double critic = b * g + 3 * (3 * b * d) + b * d;
        double generator = 3 * b * g + 2 * b * d;
        return 2 * (critic + generator / config.nCritic());
    }

    /**
     * G(z) in training mode; the critic forward over [real; fake; x̂] (first layer on 2B rows, x̂ by
     * linearity); errors back to the first layer on 3B rows; ∇ₓD on B rows; the tangent on B rows;
     * one weight-gradient product per layer over 3B rows.
     */
    public static double criticUpdate(WganGpConfig config) {
        long b = config.batch();
        int[] w = config.critic().widths();
        double macs = generatorForward(config.generator(), b);
        for (int l = 1; l < w.length; l++) {
            long layer = (long) w[l - 1] * w[l];
            macs += (l == 1 ? 2 * b : 3 * b) * layer;  // forward
            macs += l >= 2 ? 3 * b * layer : b * layer; // errors (l ≥ 2) or ∇ₓD (l = 1)
            macs += l < w.length - 1 ? b * layer : 0;   // tangent through the hidden layers
            macs += 3 * b * layer;                      // weight gradient
        }
        return 2 * macs;
    }

    /** G(z); D forward on B rows; errors and image gradient back through D; G backward (no ∂/∂z). */
    public static double generatorUpdate(WganGpConfig config) {
        long b = config.batch();
        double macs = 2 * generatorForward(config.generator(), b);
        macs -= b * (long) config.generator().latentSize() * config.generator().hidden().get(0);
        macs += 2 * criticForward(config.critic(), b);
        return 2 * macs;
    }

    private static double generatorForward(GeneratorSpec g, long batch) {
        double macs = 0;
        int in = g.latentSize();
        for (int width : g.hidden()) {
            macs += (double) batch * in * width;
            in = width;
        }
        return macs + (double) batch * in * g.outputSize();
    }

    private static double criticForward(CriticSpec c, long batch) {
        int[] w = c.widths();
        double macs = 0;
        for (int l = 1; l < w.length; l++) {
            macs += (double) batch * w[l - 1] * w[l];
        }
        return macs;
    }
}
