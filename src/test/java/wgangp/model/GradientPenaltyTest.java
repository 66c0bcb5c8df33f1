package wgangp.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import wgangp.model.kernels.HostMemory;

/**
 * The fused critic gradient (float32, as it trains) of both engines against central finite
 * differences of an independent double-precision loss; a wrong term shows as an O(1) error, float32
 * rounding as ~1e-6.
 */
class GradientPenaltyTest {
    private static final int IN = 7;
    private static final int BATCH = 5;
    private static final double SLOPE = 0.2;
    private static final double TOLERANCE = 1e-5;

    private final SplittableRandom random = new SplittableRandom(11);
    private final CriticSpec spec = new CriticSpec(IN, List.of(6, 4), Activation.LEAKYRELU, SLOPE, Normalization.NONE);

    private double[][] randomMatrix(int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int i = 0; i < cols; i++) {
                row[i] = random.nextDouble(-1, 1);
            }
        }
        return m;
    }

    private Critic randomCritic() {
        INDArray params = Nd4j.create(DataType.FLOAT, Critic.layoutOf(spec).length());
        for (long i = 0; i < params.length(); i++) {
            params.putScalar(i, random.nextDouble(-0.9, 0.9));
        }
        return Critic.wrap(spec, params);
    }

    /** Critic weights as plain arrays for the oracle. */
    private static double[][][] weights(Critic c) {
        double[][][] w = new double[c.layers()][][];
        for (int l = 0; l < c.layers(); l++) {
            w[l] = c.weight(l).toDoubleMatrix();
        }
        return w;
    }

    private static double[][] biases(Critic c) {
        double[][] b = new double[c.layers()][];
        for (int l = 0; l < c.layers(); l++) {
            b[l] = c.bias(l).toDoubleVector();
        }
        return b;
    }

    private INDArray analyticGradient(Engine engine, Critic critic, double[][] real, double[][] fake, double[] eps,
                                      double lambda) {
        CriticObjective objective = critic.objective(engine, BATCH, lambda);
        objective.realRows().assign(Nd4j.createFromArray(real).castTo(DataType.FLOAT));
        objective.fakeRows().assign(Nd4j.createFromArray(fake).castTo(DataType.FLOAT));
        CriticObjective.CriticLoss loss = objective.criticLossGradient(Nd4j.createFromArray(eps).castTo(DataType.FLOAT).reshape(BATCH, 1));
        assertEquals(PlainCritic.criticLoss(weights(critic), biases(critic), SLOPE, real, fake, eps, lambda),
                loss.criticLoss(), 1e-5, "critic loss value");
        return objective.gradient().dup();
    }

    private double[] finiteDifferences(Critic critic, double[][] real, double[][] fake, double[] eps, double lambda) {
        double h = 1e-6;
        // perturb a double copy: float32 cannot hold a 1e-6 step
        Critic exact = Critic.wrap(spec, critic.params().castTo(DataType.DOUBLE));
        INDArray p = exact.params();
        double[] fd = new double[(int) p.length()];
        for (int i = 0; i < fd.length; i++) {
            double original = p.getDouble(i);
            p.putScalar(i, original + h);
            double plus = PlainCritic.criticLoss(weights(exact), biases(exact), SLOPE, real, fake, eps, lambda);
            p.putScalar(i, original - h);
            double minus = PlainCritic.criticLoss(weights(exact), biases(exact), SLOPE, real, fake, eps, lambda);
            p.putScalar(i, original);
            fd[i] = (plus - minus) / (2 * h);
        }
        return fd;
    }

    private static double maxRelativeError(INDArray analytic, double[] fd) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < fd.length; i++) {
            scale = Math.max(scale, Math.abs(fd[i]));
            worst = Math.max(worst, Math.abs(analytic.getDouble(i) - fd[i]));
        }
        return worst / scale;
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"HOST", "DEVICE"})
    void criticGradientMatchesFiniteDifferencesInDouble(Engine engine) {
        Critic critic = randomCritic();
        double[][] real = randomMatrix(BATCH, IN);
        double[][] fake = randomMatrix(BATCH, IN);
        double[] eps = random.doubles(BATCH, 0, 1).toArray();
        INDArray analytic = analyticGradient(engine, critic, real, fake, eps, 10.0);
        double[] fd = finiteDifferences(critic, real, fake, eps, 10.0);
        assertTrue(maxRelativeError(analytic, fd) < TOLERANCE, "max relative error " + maxRelativeError(analytic, fd));
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"HOST", "DEVICE"})
    void penaltyGradientReachesEveryCriticWeight(Engine engine) {
        Critic critic = randomCritic();
        double[][] real = randomMatrix(BATCH, IN);
        double[][] fake = randomMatrix(BATCH, IN);
        double[] eps = random.doubles(BATCH, 0, 1).toArray();
        INDArray withPenalty = analyticGradient(engine, critic, real, fake, eps, 10.0);
        INDArray withoutPenalty = analyticGradient(engine, critic, real, fake, eps, 0.0);
        INDArray penaltyPart = withPenalty.sub(withoutPenalty);
        double[] fdPenalty = finiteDifferences(critic, real, fake, eps, 10.0);
        double[] fdWasserstein = finiteDifferences(critic, real, fake, eps, 0.0);
        for (int i = 0; i < fdPenalty.length; i++) {
            fdPenalty[i] -= fdWasserstein[i];
        }
        assertTrue(maxRelativeError(penaltyPart, fdPenalty) < TOLERANCE);
        for (int l = 0; l < critic.layers(); l++) {
            INDArray w = critic.layout().view(penaltyPart, Critic.weightName(l));
            assertTrue(w.norm2Number().doubleValue() > 1e-3, "penalty gradient reaches W_" + l);
            INDArray b = critic.layout().view(penaltyPart, Critic.biasName(l));
            assertEquals(0.0, b.norm2Number().doubleValue(), 1e-6, "penalty gradient of b_" + l + " is zero");
        }
    }

    @Test
    void penaltyNormIsTakenPerSampleNotPerFeature() {
        // g has B rows of IN features; a norm over the batch axis would give IN values, not B
        GradientPenalty penalty = new GradientPenalty(1.0);
        INDArray g = Nd4j.createFromArray(new float[][] {{3, 4}, {0, 0.5f}, {1, 0}});
        double p = penalty.seedTangent(HostMemory.whole(g), (int) g.columns(), 0, (int) g.rows());
        // per-row norms 5, 0.5, 1 → ((4)² + (−0.5)² + 0²)/3
        assertEquals((16 + 0.25 + 0) / 3, p, 1e-6);
        // v_b = 2(n_b − 1)/(B n_b) g_b
        assertEquals(2 * 4.0 / (3 * 5) * 3, g.getDouble(0, 0), 1e-6);
        assertEquals(2 * -0.5 / (3 * 0.5) * 0.5, g.getDouble(1, 1), 1e-6);
        assertEquals(0.0, g.getDouble(2, 0), 1e-6);
    }

    @Test
    void penaltyNormWithOpsIsTakenPerSampleNotPerFeature() {
        GradientPenalty penalty = new GradientPenalty(1.0);
        INDArray g = Nd4j.createFromArray(new float[][] {{3, 4}, {0, 0.5f}, {1, 0}});
        INDArray terms = penalty.seedTangentWithOps(g);
        assertArrayEquals(new long[] {3, 1}, terms.shape());
        assertEquals(16, terms.getDouble(0, 0), 1e-6);
        assertEquals(0.25, terms.getDouble(1, 0), 1e-6);
        assertEquals(0, terms.getDouble(2, 0), 1e-6);
        assertEquals(2 * 4.0 / (3 * 5) * 3, g.getDouble(0, 0), 1e-6);
        assertEquals(2 * 4.0 / (3 * 5) * 4, g.getDouble(0, 1), 1e-6);
        assertEquals(2 * -0.5 / (3 * 0.5) * 0.5, g.getDouble(1, 1), 1e-6);
        assertEquals(0.0, g.getDouble(2, 0), 1e-6);
        INDArray zero = Nd4j.zeros(DataType.FLOAT, 2, 3);
        penalty.seedTangentWithOps(zero);
        assertEquals(0.0, zero.amaxNumber().doubleValue(), 0.0, "a zero gradient row stays zero, not NaN");
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"HOST", "DEVICE"})
    void wideCriticMatchesOracleOnEveryRowSlice(Engine engine) {
        // more rows than features and vice versa, so a transposed norm or a row-slice mix-up cannot pass
        Critic critic = randomCritic();
        double[][] real = randomMatrix(BATCH, IN);
        double[][] fake = randomMatrix(BATCH, IN);
        double[] eps = {0, 1, 0.5, 0.25, 0.9};
        INDArray analytic = analyticGradient(engine, critic, real, fake, eps, 3.0);
        double[] fd = finiteDifferences(critic, real, fake, eps, 3.0);
        assertTrue(maxRelativeError(analytic, fd) < TOLERANCE);
        assertEquals(BATCH, NDArrayIndex.interval(0, BATCH).length());
    }
}
