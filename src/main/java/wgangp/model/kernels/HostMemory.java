package wgangp.model.kernels;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The host memory of a float array laid out densely in row-major order: a whole array or a view of
 * consecutive samples of one (a batch slice, a tensor of a flat parameter vector). The one way the
 * host engine reaches ND4J's memory ({@link HostKernels}, {@link Blas} and the fused MLP passes). Valid on ND4J's
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

    /**
     * The buffer of a float array that spans its whole buffer in row-major order, as the training
     * buffers the fused passes allocate do. Does not keep the array alive: hold it.
     */
    public static FloatBuffer whole(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.offset() != 0 || a.ordering() != 'c'
                || a.elementWiseStride() != 1 || a.data().length() != a.length()) {
            throw new IllegalArgumentException("training buffers must be whole row-major float arrays, got "
                    + a.shapeInfoToString());
        }
        return floats(a);
    }

    /** Whether this JVM's ND4J backend is the CPU one (nd4j-native), the only one whose arrays live in host memory. */
    public static boolean cpuBackend() {
        return Nd4j.getBackend().getClass().getName().contains("nativecpu");
    }

    /**
     * Host loops and {@link Blas} read and write host memory; on a device backend that is a stale
     * copy, so they refuse to run there instead.
     */
    public static void requireCpuBackend() {
        if (!cpuBackend()) {
            throw new IllegalStateException("engine=host runs on ND4J's CPU backend (nd4j-native) only; this JVM"
                    + " loaded " + Nd4j.getBackend().getClass().getName()
                    + ". Use engine=device (or auto), or build without -Pcuda.");
        }
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
