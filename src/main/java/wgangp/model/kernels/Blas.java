package wgangp.model.kernels;

import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * sgemm straight into oneDNN ({@code dnnl_sgemm}), on matrices that live in ND4J arrays. Going
 * through ND4J's op layer costs 70–150 µs per call (a 64×100×128 product took 175 µs there, 27 µs
 * here); the training step makes about 25 such calls per critic iteration. oneDNN rather than the
 * OpenBLAS that ND4J ships: its kernels follow the run's instruction set ({@link OneDnn}), the one
 * the convolutions use, and with AVX-512 the MLP trained 1.6× faster than on OpenBLAS's portable
 * Haswell kernel and 1.2× faster than on its SkylakeX one; with AVX2 the two libraries tie
 * (docs/benchmarks.md).
 */
public final class Blas {
    private static final byte AS_IS = 'N';
    private static final byte TRANSPOSE = 'T';

    private Blas() {
    }

    /** A row-major float matrix inside an ND4J array: where it starts, its shape, its row stride. */
    public record Matrix(FloatPointer data, int rows, int cols) {
    }

    /** Rows [from, to) of a whole row-major [rows, cols] float array. The array must outlive the matrix. */
    public static Matrix rows(INDArray whole, int from, int to) {
        HostMemory.whole(whole);
        int cols = (int) whole.size(1);
        return new Matrix(HostMemory.pointer(whole).position((long) from * cols), to - from, cols);
    }

    public static Matrix of(INDArray whole) {
        return rows(whole, 0, (int) whole.size(0));
    }

    /** A [rows, cols] tensor starting at {@code offset} inside a flat float vector. */
    public static Matrix at(INDArray flat, long offset, int rows, int cols) {
        HostMemory.whole(flat);
        return new Matrix(HostMemory.pointer(flat).position(offset), rows, cols);
    }

    /**
     * The sgemm rate this process gets for an [m, k]·[k, n] product, in GFLOP/s, best of repeated
     * timings over about {@code millis}: the ceiling that training's FLOP rate is compared with.
     */
    public static double peakGflops(int m, int k, int n, long millis) {
        INDArray a = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, m, k);
        INDArray b = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, k, n);
        INDArray c = org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, m, n);
        Matrix ma = of(a);
        Matrix mb = of(b);
        Matrix mc = of(c);
        double best = Double.MAX_VALUE;
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                gemm(ma, false, mb, false, mc, false);
            }
            best = Math.min(best, (System.nanoTime() - start) / 10.0);
        }
        return 2.0 * m * k * n / best;
    }

    /**
     * c = op(a)·op(b) + beta·c on row-major float matrices given by their first element and row
     * stride (leading dimension), op = transpose where asked: [m, k]·[k, n] → [m, n].
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, FloatPointer a, int lda,
                            FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        int status = dnnl.dnnl_sgemm(transA ? TRANSPOSE : AS_IS, transB ? TRANSPOSE : AS_IS, m, n, k, 1f, a, lda,
                b, ldb, beta, c, ldc);
        if (status != dnnl.dnnl_success) {
            throw new IllegalStateException("dnnl_sgemm of [" + m + "x" + k + "]·[" + k + "x" + n + "] failed with status "
                    + status);
        }
    }

    /** c = op(a)·op(b) (+ c when {@code accumulate}), op = transpose where asked. */
    public static void gemm(Matrix a, boolean transA, Matrix b, boolean transB, Matrix c, boolean accumulate) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm shapes do not match: [" + m + "x" + k + "]·[" + kb + "x" + n
                    + "] into [" + c.rows() + "x" + c.cols() + "]");
        }
        gemm(transA, transB, m, n, k, a.data(), a.cols(), b.data(), b.cols(), accumulate ? 1f : 0f, c.data(),
                c.cols());
    }
}
