package wgangp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import wgangp.job.DefaultConfigs;

/** The reference model's step, counted by hand. */
class StepFlopsTest {

    @Test
    void referenceModelAtBatch64() {
        WganGpConfig c = DefaultConfigs.model(784);
        double g = 64.0 * (100 * 128 + 128 * 256 + 256 * 512 + 512 * 1024 + 1024 * 784);
        double d1 = 784.0 * 512;
        double d2 = 512.0 * 256;
        double d3 = 256.0;
        double critic = g
                + 128 * d1 + 192 * (d2 + d3)      // forward, x̂ rows of layer 1 by linearity
                + 192 * (d2 + d3) + 64 * d1       // errors to layer 1 on 3B rows, ∇ₓD on B rows
                + 64 * (d1 + d2)                  // tangent
                + 192 * (d1 + d2 + d3);           // fused weight gradients
        double generator = 2 * g - 64.0 * 100 * 128 + 2 * 64 * (d1 + d2 + d3);
        assertEquals(2 * critic, StepFlops.criticUpdate(c), 1);
        assertEquals(2 * generator, StepFlops.generatorUpdate(c), 1);
        assertEquals(2 * critic + 2 * generator / 5, StepFlops.perCriticIteration(c), 1);
        // about 0.82 GFLOP per critic iteration
        assertEquals(0.824e9, StepFlops.perCriticIteration(c), 0.001e9);
    }
}
