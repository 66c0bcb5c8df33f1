package wgangp.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.ReplicaGroup;
import wgangp.model.kernels.DeviceKernels;
import wgangp.model.kernels.HostKernels;
import wgangp.model.kernels.Kernels;

/**
 * Every layer kind's input gradient, weight gradient and (for critic kinds) tangent pass against
 * central finite differences in double precision. The loss is L = Σ r ⊙ forward(x) for a fixed
 * random r, so ∂L/∂output = r.
 */
class LayerGradientsTest {
    private static final double H = 1e-6;
    private static final double TOLERANCE = 1e-6;
    private static final int BATCH = 3;
    private static final Kernels DEVICE = new DeviceKernels();
    private static final Kernels HOST = new HostKernels(ReplicaGroup.SINGLE);
    private final SplittableRandom random = new SplittableRandom(17);

    @Test
    void dense() {
        check(new Dense("fc", 5, 4), new long[] {5});
    }

    @Test
    void denseWithItsWeightStoredInOut() {
        check(Dense.storedInOut("fc", 5, 4), new long[] {5});
    }

    @Test
    void conv2dStridedAndPadded() {
        check(new Conv2d("conv", new long[] {2, 6, 6}, 3, 4, 2, 1), new long[] {2, 6, 6});
    }

    @Test
    void conv2dWhoseWindowsMissTheLastRowAndColumn() {
        // (7 + 2 − 4) and (6 + 2 − 4) leave remainders at stride 2 and 3: the last input row and
        // column lie in no window, and their input gradient is zero
        check(new Conv2d("conv", new long[] {1, 7, 6}, 2, 4, 2, 1), new long[] {1, 7, 6});
        check(new Conv2d("conv", new long[] {2, 6, 7}, 2, 3, 3, 0), new long[] {2, 6, 7});
    }

    @Test
    void convTranspose2d() {
        check(new ConvTranspose2d("up", new long[] {3, 3, 3}, 2, 4, 2, 1), new long[] {3, 3, 3});
    }

    @Test
    void leakyReluAndRelu() {
        check(new LeakyRelu(new long[] {2, 3, 3}, 0.2), new long[] {2, 3, 3});
        check(new LeakyRelu(new long[] {7}, 0), new long[] {7});
    }

    @Test
    void leakyReluOnTheHostEngineComputesWhatTheOpsDo() {
        long[] shape = {2, 3, 3};
        LeakyRelu ops = new LeakyRelu(shape, 0.2);
        LeakyRelu host = new LeakyRelu(shape, 0.2);
        INDArray x = gaussian(new long[] {BATCH, 2, 3, 3});
        INDArray g = gaussian(new long[] {BATCH, 2, 3, 3});
        INDArray xf = x.castTo(DataType.FLOAT);
        INDArray gf = g.castTo(DataType.FLOAT);
        assertClose(ops.forward(x, null, Layer.Mode.TRAINING, DEVICE), host.forward(xf, null, Layer.Mode.TRAINING, HOST));
        assertClose(ops.inputGradient(x, null, g, null, DEVICE), host.inputGradient(xf, null, gf, null, HOST));
        assertClose(ops.tangent(g, x, null, DEVICE), host.tangent(gf, xf, null, HOST));
    }

    @Test
    void denseOnTheHostEngineComputesWhatTheOpsDoInBothStorageOrders() {
        for (boolean inOut : new boolean[] {false, true}) {
            Dense ops = inOut ? Dense.storedInOut("fc", 6, 4) : new Dense("fc", 6, 4);
            Dense host = inOut ? Dense.storedInOut("fc", 6, 4) : new Dense("fc", 6, 4);
            LayerNetwork net = new LayerNetwork(new long[] {6}, List.of(ops));
            INDArray params = gaussian(new long[] {net.parameterLength()});
            LayerWeights w = net.bind(params, null)[0];
            LayerWeights wf = net.bind(params.castTo(DataType.FLOAT), null)[0];
            // the input is a batch slice, as the fused critic pass hands them in
            INDArray x = gaussian(new long[] {BATCH + 2, 6}).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2,
                    BATCH + 2), org.nd4j.linalg.indexing.NDArrayIndex.all());
            INDArray xf = x.castTo(DataType.FLOAT);
            INDArray delta = gaussian(new long[] {BATCH, 4});
            INDArray deltaF = delta.castTo(DataType.FLOAT);
            assertClose(ops.forward(x, w, Layer.Mode.TRAINING, DEVICE), host.forward(xf, wf, Layer.Mode.TRAINING, HOST));
            assertClose(ops.inputGradient(x, null, delta, w, DEVICE), host.inputGradient(xf, null, deltaF, wf, HOST));
            assertClose(ops.tangent(x, null, w, DEVICE), host.tangent(xf, null, wf, HOST));
            for (boolean withBias : new boolean[] {true, false}) {
                INDArray gradient = Nd4j.zeros(DataType.DOUBLE, net.parameterLength()).addi(0.25);
                INDArray gradientF = gradient.castTo(DataType.FLOAT);
                ops.weightGradient(x, delta, w, net.bind(gradient, null)[0], withBias, DEVICE);
                host.weightGradient(xf, deltaF, wf, net.bind(gradientF, null)[0], withBias, HOST);
                assertClose(gradient, gradientF);
            }
        }
    }

    @Test
    void batchNormOnTheHostEngineComputesWhatTheOpsDo() {
        long[] shape = {3, 2, 5};
        BatchNorm2d ops = new BatchNorm2d("bn", shape, 0.1, 1e-5);
        BatchNorm2d host = new BatchNorm2d("bn", shape, 0.1, 1e-5);
        LayerNetwork net = new LayerNetwork(shape, List.of(ops));
        INDArray params = gaussian(new long[] {net.parameterLength()});
        INDArray stats = Nd4j.createFromArray(0.1, -0.3, 0.2, 4.0, 0.25, 1.5);
        INDArray paramsF = params.castTo(DataType.FLOAT);
        INDArray statsF = stats.castTo(DataType.FLOAT);
        LayerWeights w = net.bind(params, stats)[0];
        LayerWeights wf = net.bind(paramsF, statsF)[0];
        INDArray x = gaussian(new long[] {4, 3, 2, 5}).muli(3).addi(1);
        INDArray xf = x.castTo(DataType.FLOAT);
        INDArray delta = gaussian(new long[] {4, 3, 2, 5});
        INDArray deltaF = delta.castTo(DataType.FLOAT);

        assertClose(ops.forward(x, w, Layer.Mode.INFERENCE, DEVICE), host.forward(xf, wf, Layer.Mode.INFERENCE, HOST));
        assertClose(ops.forward(x, w, Layer.Mode.TRAINING, DEVICE), host.forward(xf, wf, Layer.Mode.TRAINING, HOST));
        assertClose(stats, statsF);
        assertClose(ops.inputGradient(x, null, delta, w, DEVICE), host.inputGradient(xf, null, deltaF, wf, HOST));
        for (boolean withBias : new boolean[] {true, false}) {
            INDArray gradient = Nd4j.zeros(DataType.DOUBLE, net.parameterLength()).addi(0.5);
            INDArray gradientF = gradient.castTo(DataType.FLOAT);
            ops.weightGradient(x, delta, w, net.bind(gradient, null)[0], withBias, DEVICE);
            host.weightGradient(xf, deltaF, wf, net.bind(gradientF, null)[0], withBias, HOST);
            assertClose(gradient, gradientF);
        }
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertEquals(DataType.FLOAT, actual.dataType());
        double error = expected.sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(error < 1e-5 * Math.max(1, expected.amaxNumber().doubleValue()), "max error " + error);
    }

    @Test
    void tanh() {
        check(new Tanh(new long[] {2, 4}), new long[] {2, 4});
    }

    @Test
    void reshape() {
        check(new Reshape(new long[] {2, 3, 3}, 18), new long[] {2, 3, 3});
    }

    @Test
    void batchNorm2dInTrainingMode() {
        check(new BatchNorm2d("bn", new long[] {3, 2, 2}, 0.1, 1e-5), new long[] {3, 2, 2});
    }

    @Test
    void batchNormRunningStatisticsMoveByTheMomentumWithTheUnbiasedVariance() {
        BatchNorm2d bn = new BatchNorm2d("bn", new long[] {2, 2, 2}, 0.25, 1e-5);
        LayerNetwork net = new LayerNetwork(new long[] {2, 2, 2}, List.of(bn));
        INDArray params = Nd4j.zeros(DataType.DOUBLE, net.parameterLength());
        INDArray stats = Nd4j.zeros(DataType.DOUBLE, net.statisticsLength());
        net.initialise(params, stats, random);
        INDArray x = gaussian(new long[] {BATCH, 2, 2, 2});
        bn.forward(x, net.bind(params, stats)[0], Layer.Mode.TRAINING, DEVICE);
        for (int c = 0; c < 2; c++) {
            double[] values = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c)).dup().data().asDouble();
            double mean = java.util.Arrays.stream(values).average().orElseThrow();
            double unbiased = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum()
                    / (values.length - 1);
            assertEquals(0.25 * mean, stats.getDouble(c), 1e-12, "running mean of channel " + c);
            assertEquals(0.75 + 0.25 * unbiased, stats.getDouble(2 + c), 1e-12, "running var of channel " + c);
        }
    }

    @Test
    void batchNormInInferenceModeUsesTheRunningStatistics() {
        BatchNorm2d bn = new BatchNorm2d("bn", new long[] {2, 1, 2}, 0.1, 1e-5);
        INDArray params = Nd4j.createFromArray(1.5, -0.5, 0.25, 2.0);   // γ, then β
        INDArray stats = Nd4j.createFromArray(0.1, -0.3, 4.0, 0.25);    // mean, then var
        LayerWeights w = new LayerNetwork(new long[] {2, 1, 2}, List.of(bn)).bind(params, stats)[0];
        INDArray x = gaussian(new long[] {BATCH, 2, 1, 2});
        INDArray y = bn.forward(x, w, Layer.Mode.INFERENCE, DEVICE);
        double[] gamma = {1.5, -0.5};
        double[] beta = {0.25, 2.0};
        double[] mean = {0.1, -0.3};
        double[] var = {4.0, 0.25};
        for (int b = 0; b < BATCH; b++) {
            for (int c = 0; c < 2; c++) {
                for (int j = 0; j < 2; j++) {
                    double expected = gamma[c] * (x.getDouble(b, c, 0, j) - mean[c]) / Math.sqrt(var[c] + 1e-5) + beta[c];
                    assertEquals(expected, y.getDouble(b, c, 0, j), 1e-12, "sample " + b + " channel " + c);
                }
            }
        }
        assertEquals(4.0, stats.getDouble(2), "inference leaves the running statistics alone");
    }

    private void check(Layer layer, long[] inputShape) {
        LayerNetwork net = new LayerNetwork(inputShape, List.of(layer));
        INDArray params = gaussian(new long[] {Math.max(1, net.parameterLength())});
        INDArray stats = net.statisticsLength() == 0 ? null : Nd4j.zeros(DataType.DOUBLE, net.statisticsLength());
        if (net.parameterLength() == 0) {
            params = Nd4j.zeros(DataType.DOUBLE, 0);
        }
        LayerWeights w = net.bind(params, stats)[0];
        INDArray x = gaussian(Shapes.batch(BATCH, inputShape));
        INDArray y = layer.forward(x, w, Layer.Mode.TRAINING, DEVICE);
        assertTrue(java.util.Arrays.equals(Shapes.batch(BATCH, layer.outputShape()), y.shape()),
                "output shape " + java.util.Arrays.toString(y.shape()));
        INDArray r = gaussian(y.shape());
        String kind = layer.getClass().getSimpleName();

        INDArray analytic = layer.inputGradient(x, y, r, w, DEVICE);
        assertClose(numericGradient(x, () -> loss(layer, x, w, r)), analytic, kind + " input gradient");

        if (net.parameterLength() > 0) {
            INDArray gradient = Nd4j.zeros(DataType.DOUBLE, net.parameterLength());
            LayerWeights g = net.bind(gradient, null)[0];
            layer.weightGradient(x, r, w, g, true, DEVICE);
            assertClose(numericGradient(params, () -> loss(layer, x, w, r)), gradient, kind + " weight gradient");

            INDArray kernelOnly = Nd4j.zeros(DataType.DOUBLE, net.parameterLength());
            LayerWeights k = net.bind(kernelOnly, null)[0];
            layer.weightGradient(x, r, w, k, false, DEVICE);
            assertClose(g.get(0), k.get(0), kind + " kernel gradient without bias");
            assertEquals(0.0, k.get(1).amaxNumber().doubleValue(), kind + " bias untouched without bias");
        }

        if (layer instanceof CriticLayer critic) {
            // the tangent pass is the directional derivative of the forward pass (bias drops out)
            INDArray t = gaussian(x.shape());
            INDArray plus = layer.forward(x.add(t.mul(H)), w, Layer.Mode.TRAINING, DEVICE);
            INDArray minus = layer.forward(x.sub(t.mul(H)), w, Layer.Mode.TRAINING, DEVICE);
            assertClose(plus.sub(minus).divi(2 * H), critic.tangent(t, x, w, DEVICE), kind + " tangent");
        }
    }

    private static double loss(Layer layer, INDArray x, LayerWeights w, INDArray r) {
        return layer.forward(x, w, Layer.Mode.TRAINING, DEVICE).mul(r).sumNumber().doubleValue();
    }

    /** Central differences of {@code f} with respect to every entry of {@code variable}, perturbed in place. */
    private static INDArray numericGradient(INDArray variable, java.util.function.DoubleSupplier f) {
        INDArray flat = variable.reshape(variable.length());
        INDArray out = Nd4j.zeros(DataType.DOUBLE, variable.length());
        for (long i = 0; i < variable.length(); i++) {
            double v = flat.getDouble(i);
            flat.putScalar(i, v + H);
            double up = f.getAsDouble();
            flat.putScalar(i, v - H);
            double down = f.getAsDouble();
            flat.putScalar(i, v);
            out.putScalar(i, (up - down) / (2 * H));
        }
        return out.reshape(variable.shape());
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        INDArray e = expected.reshape(expected.length());
        INDArray a = actual.reshape(actual.length());
        assertEquals(e.length(), a.length(), what + " length");
        double scale = Math.max(1e-3, e.amaxNumber().doubleValue());
        double error = e.sub(a).amaxNumber().doubleValue() / scale;
        assertTrue(error < TOLERANCE, what + ": relative error " + error);
        assertTrue(e.amaxNumber().doubleValue() > 0, what + ": a zero gradient checks nothing");
    }

    private INDArray gaussian(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] values = new double[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return Nd4j.createFromArray(values).reshape('c', shape);
    }
}
