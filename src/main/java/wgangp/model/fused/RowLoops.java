package wgangp.model.fused;

import java.nio.FloatBuffer;
import wgangp.model.Activation;

/**
 * The element-wise and column-reduction work between the gemms, as single fused loops over the
 * arrays' native float buffers, a row at a time. At batch 64 each ND4J op call costs tens of microseconds and each
 * temporary array hundreds (a column mean over [64, 1024] ~300 µs against ~20 µs here), which
 * added up to more than the gemms themselves. Matrices are row-major [rows, cols]; a range of
 * rows is addressed by row indices.
 */
final class RowLoops {
    // one row at a time through heap arrays: loops over float[] vectorise, loops over buffers do not
    private final float[] rowA;
    private final float[] rowB;
    private final float[] rowC;

    /** Kernels for matrices up to {@code maxCols} wide; one instance per thread. */
    RowLoops(int maxCols) {
        rowA = new float[maxCols];
        rowB = new float[maxCols];
        rowC = new float[maxCols];
    }

    /**
     * h[r] += b for rows [from, to); then, when {@code act} is given, a = leaky(h) and m = leaky'(h)
     * (h itself is then left as it was: nothing reads a hidden pre-activation after this).
     */
    void biasActivate(FloatBuffer h, int cols, int from, int to, FloatBuffer params, int biasOffset,
                      FloatBuffer act, FloatBuffer mask, float slope) {
        float[] x = rowA;
        float[] bias = rowB;
        float[] m = rowC;
        params.get(biasOffset, bias, 0, cols);
        for (int r = from; r < to; r++) {
            int base = r * cols;
            h.get(base, x, 0, cols);
            for (int j = 0; j < cols; j++) {
                x[j] += bias[j];
            }
            if (act == null) {
                h.put(base, x, 0, cols);
                continue;
            }
            for (int j = 0; j < cols; j++) {
                m[j] = Activation.leakyMask(x[j], slope);
                x[j] *= m[j];
            }
            mask.put(base, m, 0, cols);
            act.put(base, x, 0, cols);
        }
    }

    /** a = leaky(h), m = leaky'(h) for rows [from, to). */
    void activate(FloatBuffer h, int cols, int from, int to, FloatBuffer act, FloatBuffer mask, float slope) {
        float[] x = rowA;
        float[] m = rowC;
        for (int r = from; r < to; r++) {
            int base = r * cols;
            h.get(base, x, 0, cols);
            for (int j = 0; j < cols; j++) {
                m[j] = Activation.leakyMask(x[j], slope);
                x[j] *= m[j];
            }
            mask.put(base, m, 0, cols);
            act.put(base, x, 0, cols);
        }
    }

    /** x[i] *= y[i] over rows [from, to). */
    void multiply(FloatBuffer x, FloatBuffer y, int cols, int from, int to) {
        float[] a = rowA;
        float[] b = rowB;
        for (int r = from; r < to; r++) {
            int base = r * cols;
            x.get(base, a, 0, cols);
            y.get(base, b, 0, cols);
            for (int j = 0; j < cols; j++) {
                a[j] *= b[j];
            }
            x.put(base, a, 0, cols);
        }
    }

    /** x[i] = value over rows [from, to). */
    static void fill(FloatBuffer x, int cols, int from, int to, float value) {
        for (int i = from * cols; i < to * cols; i++) {
            x.put(i, value);
        }
    }

    /** out[j] = Σ_{r ∈ [from, to)} x[r, j], written at {@code outOffset}. */
    void columnSums(FloatBuffer x, int cols, int from, int to, FloatBuffer out, int outOffset) {
        float[] sum = rowB;
        float[] row = rowA;
        java.util.Arrays.fill(sum, 0, cols, 0f);
        for (int r = from; r < to; r++) {
            x.get(r * cols, row, 0, cols);
            for (int j = 0; j < cols; j++) {
                sum[j] += row[j];
            }
        }
        out.put(outOffset, sum, 0, cols);
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
