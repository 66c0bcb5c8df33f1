package wgangp.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The element-wise and column-reduction work between the gemms, as single fused loops over the
 * arrays' native float buffers. At batch 64 each ND4J op call costs tens of microseconds and each
 * temporary array hundreds (a column mean over [64, 1024] ~300 µs against ~20 µs here), which
 * added up to more than the gemms themselves. Matrices are row-major [rows, cols]; a range of
 * rows is addressed by row indices.
 */
final class HostKernels {
    private HostKernels() {
    }

    /**
     * These loops and {@link Blas} work on host memory; on a device backend they would read and
     * write stale host copies, so they refuse to run there instead.
     */
    static void requireCpuBackend() {
        String backend = org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getName();
        if (!backend.contains("nativecpu")) {
            throw new IllegalStateException("the training step runs on ND4J's CPU backend (nd4j-native); this JVM"
                    + " loaded " + backend + ". Build without -Pcuda to train.");
        }
    }

    /**
     * The native buffer of a float array that spans its whole buffer in row-major order. The buffer
     * does not keep the array alive: hold a reference to the array for as long as the buffer is used,
     * or its native memory is freed under it.
     */
    static FloatBuffer buffer(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.offset() != 0 || a.ordering() != 'c'
                || a.elementWiseStride() != 1 || a.data().length() != a.length()) {
            throw new IllegalArgumentException("training buffers must be whole row-major float arrays, got "
                    + a.shapeInfoToString());
        }
        return a.data().asNioFloat();
    }

    /** h[r] += b for rows [from, to); then, when slope is given, a = leaky(h) and m = leaky'(h). */
    static void biasActivate(FloatBuffer h, int cols, int from, int to, FloatBuffer params, int biasOffset,
                             FloatBuffer act, FloatBuffer mask, float slope) {
        for (int r = from; r < to; r++) {
            int base = r * cols;
            for (int j = 0; j < cols; j++) {
                float x = h.get(base + j) + params.get(biasOffset + j);
                h.put(base + j, x);
                if (act != null) {
                    float m = mask(x, slope);
                    mask.put(base + j, m);
                    act.put(base + j, x * m);
                }
            }
        }
    }

    /** a = leaky(h), m = leaky'(h) for rows [from, to). */
    static void activate(FloatBuffer h, int cols, int from, int to, FloatBuffer act, FloatBuffer mask, float slope) {
        for (int i = from * cols; i < to * cols; i++) {
            float x = h.get(i);
            float m = mask(x, slope);
            mask.put(i, m);
            act.put(i, x * m);
        }
    }

    /**
     * 1 where x &gt; 0, slope elsewhere, without a branch: the signs are random, so a branch
     * mispredicts half the time (3–5× slower). Exact for every float but positive subnormals
     * (below 1.2e-38), which get a mask between slope and 1.
     */
    static float mask(float x, float slope) {
        return slope + (1f - slope) * Math.min(1f, Math.max(0f, x * 0x1p126f));
    }

    /** x[i] *= y[i] over rows [from, to). */
    static void multiply(FloatBuffer x, FloatBuffer y, int cols, int from, int to) {
        for (int i = from * cols; i < to * cols; i++) {
            x.put(i, x.get(i) * y.get(i));
        }
    }

    /** x[i] = value over rows [from, to). */
    static void fill(FloatBuffer x, int cols, int from, int to, float value) {
        for (int i = from * cols; i < to * cols; i++) {
            x.put(i, value);
        }
    }

    /** out[j] = Σ_{r ∈ [from, to)} x[r, j], written at {@code outOffset}. */
    static void columnSums(FloatBuffer x, int cols, int from, int to, FloatBuffer out, int outOffset) {
        for (int j = 0; j < cols; j++) {
            out.put(outOffset + j, 0f);
        }
        for (int r = from; r < to; r++) {
            int base = r * cols;
            for (int j = 0; j < cols; j++) {
                out.put(outOffset + j, out.get(outOffset + j) + x.get(base + j));
            }
        }
    }

    /** Mean of rows [from, to) of a one-column matrix. */
    static double mean(FloatBuffer x, int from, int to) {
        double s = 0;
        for (int r = from; r < to; r++) {
            s += x.get(r);
        }
        return s / (to - from);
    }
}
