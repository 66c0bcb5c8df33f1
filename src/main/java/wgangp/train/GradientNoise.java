package wgangp.train;

import java.io.Serializable;

/**
 * The gradient noise scale of McCandlish et al. 2018 ("An Empirical Model of Large-Batch
 * Training"), B_simple = tr(Σ)/|G|²: the batch beyond which a larger batch stops buying fewer steps.
 * Replicas that add their gradients every step measure it almost for free: each replica's gradient
 * is one on a batch of B, their mean one on a batch of N·B, and the squared norms of the two give
 * unbiased estimates of |G|² and tr(Σ) (their appendix A.1). The estimates are summed over steps and
 * divided at the end, as the paper advises, since each one alone is noisy.
 *
 * @param criticGradient    Σ over measured steps of the estimate of the critic's |G|²
 * @param criticNoise       Σ of the estimate of the critic's tr(Σ)
 * @param generatorGradient Σ of the estimate of the generator's |G|²
 * @param generatorNoise    Σ of the estimate of the generator's tr(Σ)
 * @param count             how many steps were measured
 */
public record GradientNoise(double criticGradient, double criticNoise, double generatorGradient,
                            double generatorNoise, long count) implements Serializable {

    public static final GradientNoise NONE = new GradientNoise(0, 0, 0, 0, 0);

    /** The estimates of one step, from the squared norms of one replica's and the mean gradient. */
    record Estimate(double gradient, double noise) {
        /**
         * @param smallBatch      one replica's batch B
         * @param bigBatch        the replicas' whole batch N·B
         * @param smallNormSquare the replicas' mean of |g_k|²
         * @param bigNormSquare   |mean of g_k|²
         */
        static Estimate of(int smallBatch, int bigBatch, double smallNormSquare, double bigNormSquare) {
            double gradient = (bigBatch * bigNormSquare - smallBatch * smallNormSquare) / (bigBatch - smallBatch);
            double noise = (smallNormSquare - bigNormSquare) / (1.0 / smallBatch - 1.0 / bigBatch);
            return new Estimate(gradient, noise);
        }
    }

    GradientNoise plus(Estimate critic, Estimate generator) {
        return new GradientNoise(criticGradient + critic.gradient(), criticNoise + critic.noise(),
                generatorGradient + generator.gradient(), generatorNoise + generator.noise(), count + 1);
    }

    /** The critic's B_simple over the measured steps; NaN when nothing was measured. */
    public double criticScale() {
        return count == 0 ? Double.NaN : criticNoise / criticGradient;
    }

    /** The generator's B_simple over the measured steps; NaN when nothing was measured. */
    public double generatorScale() {
        return count == 0 ? Double.NaN : generatorNoise / generatorGradient;
    }
}
