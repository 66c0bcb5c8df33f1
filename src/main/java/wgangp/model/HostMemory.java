package wgangp.model;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The host memory of a float array laid out densely in row-major order: a whole array or a view of
 * consecutive samples of one (a batch slice, a tensor of a flat parameter vector). The one way the
 * host engine reaches ND4J's memory (its kernels, {@link Blas}, {@link HostKernels}). Valid on ND4J's
 * CPU backend only. Neither the pointer nor the buffer keeps the array alive: hold the array.
 */
public final class HostMemory {
    private HostMemory() {
    }

    /** A pointer to the array's first element. */
    public static FloatPointer pointer(INDArray a) {
        requireDense(a);
        FloatPointer p = new FloatPointer((FloatPointer) a.data().addressPointer());
        p.capacity(a.length());
        return p;
    }

    /** The array's elements in row-major order, index 0 being its first. */
    public static FloatBuffer floats(INDArray a) {
        return pointer(a).asBuffer();
    }

    /** {@code a} itself when its memory is dense row-major, else a dense copy. */
    public static INDArray dense(INDArray a) {
        return isDenseRowMajor(a.shape(), a.stride()) ? a : a.dup('c');
    }

    private static void requireDense(INDArray a) {
        if (a.dataType() != DataType.FLOAT || !isDenseRowMajor(a.shape(), a.stride())) {
            throw new IllegalArgumentException("host kernels take dense row-major float arrays, got "
                    + a.shapeInfoToString());
        }
    }

    /** Row-major strides on every axis longer than 1 (an axis of length 1 may carry any stride). */
    private static boolean isDenseRowMajor(long[] shape, long[] stride) {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] > 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }
}
