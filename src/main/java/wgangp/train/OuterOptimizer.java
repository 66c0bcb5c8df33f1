package wgangp.train;

import static wgangp.train.TrainingState.Array.CRITIC_OUTER_MOMENTUM;
import static wgangp.train.TrainingState.Array.CRITIC_PARAMS;
import static wgangp.train.TrainingState.Array.GENERATOR_OUTER_MOMENTUM;
import static wgangp.train.TrainingState.Array.GENERATOR_PARAMS;

import java.io.Serializable;

/**
 * The driver's step after the replicas' mean, in the style of DiLoCo (Douillard et al. 2023): the
 * round's change Δ = θ_start − mean(θ_replicas) of the generator and of the critic parameters is a
 * pseudo-gradient for SGD with Nesterov momentum, outer learning rate η and momentum μ:
 * <pre>
 *   v ← μ·v + Δ
 *   θ ← θ_start − η·(Δ + μ·v)
 * </pre>
 * Each element is computed in double from the float inputs and rounded once to float. The Adam
 * moments and BatchNorm statistics stay the replicas' mean: they are statistics of the inner
 * optimizer and of the data, not positions to extrapolate. η = 1, μ = 0 is plain averaging, which
 * is not computed at all, so that the mean passes through bit for bit; with μ = 0 no momentum is
 * kept, since v is then never read again.
 */
public record OuterOptimizer(double learningRate, double momentum) implements Serializable {

    /** Plain parameter averaging: the new state is the replicas' mean. */
    public static final OuterOptimizer AVERAGING = new OuterOptimizer(1, 0);

    private static final TrainingState.Array[][] PARAMS_AND_MOMENTUM = {
        {GENERATOR_PARAMS, GENERATOR_OUTER_MOMENTUM}, {CRITIC_PARAMS, CRITIC_OUTER_MOMENTUM}};

    public OuterOptimizer {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("outer.lr=" + learningRate + " must be > 0");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("outer.momentum=" + momentum + " must be in [0, 1)");
        }
    }

    /** Whether the step is the identity on the mean. */
    public boolean isAveraging() {
        return learningRate == 1 && momentum == 0;
    }

    /**
     * The state after a round that started from {@code start} and whose replicas' mean is
     * {@code mean}: the mean with the parameters moved by the outer step and the momentum updated.
     * An empty momentum in {@code start} (a run's first round) counts as zero.
     */
    public TrainingState step(TrainingState start, TrainingState mean) {
        if (isAveraging()) {
            return mean;
        }
        TrainingState next = mean;
        for (TrainingState.Array[] pair : PARAMS_AND_MOMENTUM) {
            float[] from = start.get(pair[0]);
            float[] avg = mean.get(pair[0]);
            float[] v = start.get(pair[1]);
            if (avg.length != from.length || (v.length != 0 && v.length != from.length)) {
                throw new IllegalArgumentException("the " + pair[0].label() + " (" + from.length + "), their mean ("
                        + avg.length + ") and the " + pair[1].label() + " (" + v.length + ") differ in length");
            }
            float[] theta = new float[from.length];
            float[] nextV = momentum > 0 ? new float[from.length] : new float[0];
            for (int i = 0; i < from.length; i++) {
                double delta = (double) from[i] - avg[i];
                double vi = momentum * (v.length == 0 ? 0 : v[i]) + delta;
                theta[i] = (float) (from[i] - learningRate * (delta + momentum * vi));
                if (momentum > 0) {
                    nextV[i] = (float) vi;
                }
            }
            next = next.with(pair[0], theta).with(pair[1], nextV);
        }
        return next;
    }
}
