package wgangp.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Adam over one network's flat parameter vector, with its state [m | v] in a flat vector too, so
 * that state can be averaged and checkpointed like the parameters. The update is ND4J's fused
 * Adam op; it differs from PyTorch's only in where ε sits (ε·√(1−β₂ᵗ) instead of ε), far below
 * float32 resolution at ε = 1e-8.
 */
final class AdamOptimizer {
    private final INDArray params;
    private final GradientUpdater<?> updater;

    AdamOptimizer(INDArray params, INDArray state, WganGpConfig config) {
        if (state.length() != 2 * params.length()) {
            throw new IllegalArgumentException("Adam state has " + state.length() + " values, expected 2 x "
                    + params.length());
        }
        this.params = params;
        this.updater = new Adam(config.learningRate(), config.beta1(), config.beta2(), config.adamEpsilon())
                .instantiate(state, false);
    }

    /** One step; {@code iteration} counts this network's earlier steps (0 for the first). Consumes the gradient. */
    void step(INDArray gradient, long iteration) {
        updater.applyUpdater(gradient, Math.toIntExact(iteration), 0);
        params.subi(gradient);
    }
}
