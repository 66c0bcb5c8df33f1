package wgangp.model.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.stream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The host engine's convolution kernels (float32, oneDNN) against the ND4J-op kernels
 * ({@link DeviceKernels}) in double precision, which {@code LayerGradientsTest} checks against
 * finite differences: several geometries, windows that miss the last row and column, maps narrower
 * than a block (kept in their own layout) and wider (blocked), and one instance serving several
 * batch sizes in turn, as a layer does for real, fake and interpolated batches.
 */
class OneDnnConvolutionsTest {
    private static final double TOLERANCE = 2e-5;
    private final SplittableRandom random = new SplittableRandom(23);

    @Test
    void dcganSizedConvolutions() {
        // the critic's conv1 (an image: narrow) and conv2 (blocked), at D = 16
        check(new Convolution(4, 2, 1), 70, 1, 28, 28, 16);
        check(new Convolution(4, 2, 1), 70, 16, 14, 14, 32);
    }

    @Test
    void oneInstanceServesSeveralBatchSizes() {
        Convolution geometry = new Convolution(4, 2, 1);
        OneDnnConvolutions host = convolutions(geometry);
        DeviceKernels device = new DeviceKernels();
        INDArray weights = gaussian(24, 16, 4, 4);
        for (int batch : new int[] {6, 3, 6, 9}) {
            INDArray x = gaussian(batch, 16, 8, 8);
            INDArray expected = device.convolve(geometry, x, weights, null, Nd4j.create(DataType.DOUBLE, batch, 24, 4, 4));
            INDArray actual = host.convolve(f(x), f(weights), null, Nd4j.create(DataType.FLOAT, batch, 24, 4, 4));
            assertClose(expected, actual, "convolve, batch " + batch);
        }
    }

    @Test
    void stridedPaddedAndRemainderGeometries() {
        check(new Convolution(4, 2, 1), 5, 2, 6, 6, 3);
        check(new Convolution(4, 2, 1), 4, 1, 7, 6, 2);
        check(new Convolution(3, 3, 0), 3, 2, 6, 7, 2);
        check(new Convolution(3, 1, 1), 3, 3, 5, 5, 4);
        check(new Convolution(3, 2, 1), 3, 2, 7, 8, 2);
        check(new Convolution(5, 3, 2), 2, 2, 9, 7, 3);
        check(new Convolution(1, 1, 0), 2, 3, 4, 4, 2);
    }

    @Test
    void refusesArraysItCannotReadInPlace() {
        OneDnnConvolutions host = convolutions(new Convolution(4, 2, 1));
        INDArray doubles = Nd4j.zeros(DataType.DOUBLE, 2, 1, 6, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> host.convolve(doubles,
                Nd4j.zeros(DataType.DOUBLE, 2, 1, 4, 4), null, Nd4j.zeros(DataType.DOUBLE, 2, 2, 3, 3)));
        assertTrue(e.getMessage().startsWith("host kernels take dense row-major float arrays"), e.getMessage());
    }

    /** Convolution of [batch, in, h, w] to out channels, the transposed convolution back, and both kernel gradients. */
    private void check(Convolution geometry, int batch, int in, int h, int w, int out) {
        int oh = (int) geometry.convolvedSide(h);
        int ow = (int) geometry.convolvedSide(w);
        OneDnnConvolutions host = convolutions(geometry);
        DeviceKernels device = new DeviceKernels();
        // x is samples 1..batch of a batch one larger: a view with an offset
        INDArray x = gaussian(batch + 1, in, h, w).get(NDArrayIndex.interval(1, batch + 1), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all());
        INDArray weights = gaussian(out, in, geometry.kernel(), geometry.kernel());
        INDArray bias = gaussian(out);
        INDArray y = gaussian(batch, out, oh, ow);

        INDArray expected = device.convolve(geometry, x, weights, bias, Nd4j.create(DataType.DOUBLE, batch, out, oh, ow));
        INDArray actual = host.convolve(f(x), f(weights), f(bias), Nd4j.create(DataType.FLOAT, batch, out, oh, ow));
        assertClose(expected, actual, "convolve");

        // the transposed convolution with [in, out, k, k] weights maps y back to x's shape
        INDArray transposedWeights = gaussian(out, in, geometry.kernel(), geometry.kernel());
        INDArray inBias = gaussian(in);
        expected = device.transposedConvolve(geometry, y, transposedWeights, inBias, Nd4j.create(DataType.DOUBLE, batch, in, h, w));
        actual = host.transposedConvolve(f(y), f(transposedWeights), f(inBias), Nd4j.create(DataType.FLOAT, batch, in, h, w));
        assertClose(expected, actual, "transposedConvolve");

        INDArray start = gaussian(out, in, geometry.kernel(), geometry.kernel());
        INDArray expectedGradient = start.dup();
        device.addKernelGradient(geometry, y, x, expectedGradient);
        INDArray actualGradient = f(start);
        host.addKernelGradient(f(y), f(x), actualGradient);
        assertClose(expectedGradient, actualGradient, "addKernelGradient");
    }

    private static OneDnnConvolutions convolutions(Convolution geometry) {
        engine cpu = new engine(engine.kind.cpu, 0);
        return new OneDnnConvolutions(geometry, cpu, new stream(cpu));
    }

    private static INDArray f(INDArray a) {
        return a.castTo(DataType.FLOAT);
    }

    private INDArray gaussian(long... shape) {
        double[] values = new double[(int) java.util.Arrays.stream(shape).reduce(1, (p, q) -> p * q)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble(-1, 1);
        }
        return Nd4j.createFromArray(values).reshape(shape);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double error = expected.sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(error <= TOLERANCE * scale, what + ": max error " + error + " at scale " + scale);
    }
}
