package wgangp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.job.DefaultConfigs;

/**
 * ND4J's Adam op with the rescaled ε against PyTorch's Adam written out in double precision, with
 * gradients from 1 down to below ε, where the placement of ε decides the step; and against the host
 * engine's fused loop.
 */
class DeviceAdamOptimizerTest {
    private static final WganGpConfig CONFIG = DefaultConfigs.model(784);
    private static final int N = 4096;
    private static final int STEPS = 7;

    /** Gradients whose magnitudes span 1 … 1e-10 (ε = 1e-8), random signs, a fresh draw each step. */
    private static float[][] gradients() {
        SplittableRandom random = new SplittableRandom(8);
        float[][] g = new float[STEPS][N];
        for (float[] step : g) {
            for (int i = 0; i < N; i++) {
                double magnitude = Math.pow(10, -10 * (double) i / N) * random.nextDouble(0.5, 1.5);
                step[i] = (float) (random.nextBoolean() ? magnitude : -magnitude);
            }
        }
        return g;
    }

    /** PyTorch's torch.optim.Adam step, in double: θ −= lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε). */
    private static double[] pytorchAdam(float[] start, float[][] gradients) {
        double[] p = new double[N];
        double[] m = new double[N];
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            p[i] = start[i];
        }
        for (int t = 1; t <= gradients.length; t++) {
            for (int i = 0; i < N; i++) {
                double g = gradients[t - 1][i];
                m[i] = CONFIG.beta1() * m[i] + (1 - CONFIG.beta1()) * g;
                v[i] = CONFIG.beta2() * v[i] + (1 - CONFIG.beta2()) * g * g;
                double stepSize = CONFIG.learningRate() / (1 - Math.pow(CONFIG.beta1(), t));
                double denominator = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(CONFIG.beta2(), t)) + CONFIG.adamEpsilon();
                p[i] -= stepSize * m[i] / denominator;
            }
        }
        return p;
    }

    private static INDArray run(Optimizer adam, INDArray params, float[][] gradients) {
        for (int t = 0; t < gradients.length; t++) {
            adam.step(Nd4j.createFromArray(gradients[t].clone()), t);
        }
        return params;
    }

    @Test
    void matchesPyTorchAdamAndTheHostLoopDownToGradientsBelowEpsilon() {
        float[][] gradients = gradients();
        INDArray start = Nd4j.rand(DataType.FLOAT, N).subi(0.5);
        double[] expected = pytorchAdam(start.toFloatVector(), gradients);

        INDArray deviceParams = start.dup();
        INDArray deviceState = Nd4j.zeros(DataType.FLOAT, 2 * N);
        run(new DeviceAdamOptimizer(deviceParams, deviceState, CONFIG), deviceParams, gradients);
        INDArray hostParams = start.dup();
        INDArray hostState = Nd4j.zeros(DataType.FLOAT, 2 * N);
        run(new AdamOptimizer(hostParams, hostState, CONFIG), hostParams, gradients);

        double worstMove = 0;
        for (int i = 0; i < N; i++) {
            double move = Math.abs(expected[i] - start.getDouble(i));
            worstMove = Math.max(worstMove, move);
            // each step moves a parameter by at most ~lr; an ε in the wrong place is off by a large
            // fraction of that where |g| is near ε, float rounding of the parameter by ~1e-8
            assertEquals(expected[i], deviceParams.getDouble(i), 1e-3 * move + 1e-7, "device, parameter " + i);
            assertEquals(expected[i], hostParams.getDouble(i), 1e-3 * move + 1e-7, "host, parameter " + i);
        }
        assertTrue(worstMove > 5 * CONFIG.learningRate(), "parameters moved: " + worstMove);
        assertEquals(0.0, deviceState.sub(hostState).amaxNumber().doubleValue(),
                1e-5 * hostState.amaxNumber().doubleValue(), "the same m and v, in the same layout");
    }
}
