package wgangp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;
import wgangp.job.DefaultConfigs;

/** The fused Adam loop against ND4J's own Adam updater, over several steps with changing gradients. */
class AdamOptimizerTest {

    @Test
    void matchesNd4jAdamOverSeveralSteps() {
        WganGpConfig config = DefaultConfigs.model(784);
        int n = 10_000;
        INDArray ours = Nd4j.rand(DataType.FLOAT, n).subi(0.5);
        INDArray theirs = ours.dup();
        INDArray start = ours.dup();
        INDArray ourState = Nd4j.zeros(DataType.FLOAT, 2 * n);
        AdamOptimizer adam = new AdamOptimizer(ours, ourState, config);
        GradientUpdater<?> reference = new Adam(config.learningRate(), config.beta1(), config.beta2(),
                config.adamEpsilon()).instantiate(Nd4j.zeros(DataType.FLOAT, 2 * n), true);
        for (int step = 0; step < 7; step++) {
            // |g| ≥ 1e-3 ≫ ε: ND4J adds ε to √v where PyTorch (and this loop) add it to √v̂, which only
            // shows where the gradient is near ε
            INDArray r = Nd4j.randn(DataType.FLOAT, n);
            INDArray gradient = Transforms.sign(r, true).muli(Transforms.abs(r, true).addi(0.1)).muli(Math.pow(10, -step % 3));
            INDArray update = gradient.dup();
            reference.applyUpdater(update, step, 0);
            theirs.subi(update);
            adam.step(gradient.dup(), step);
        }
        // parameters moved by ~lr per step; the two agree to float rounding
        assertTrue(ours.sub(start).amaxNumber().doubleValue() > 5 * config.learningRate());
        assertEquals(0.0, theirs.sub(ours).amaxNumber().doubleValue(), 1e-3 * config.learningRate());
        assertTrue(ourState.amaxNumber().doubleValue() > 0, "Adam state was written");
    }
}
