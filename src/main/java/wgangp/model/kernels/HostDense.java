package wgangp.model.kernels;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Linear's products for the host engine: one sgemm straight into oneDNN each, on the
 * arrays' memory (batch slices included), instead of ND4J's mmul with its transposed views, result
 * allocation and separate bias op.
 */
final class HostDense {
    private final int in;
    private final int out;
    private final boolean inOut;

    /** The products of a Linear with this weight, stored [in, out] when {@code inOut}, else [out, in]. */
    HostDense(INDArray weight, boolean inOut) {
        this.in = Math.toIntExact(weight.size(inOut ? 0 : 1));
        this.out = Math.toIntExact(weight.size(inOut ? 1 : 0));
        this.inOut = inOut;
    }

    /** X·W (+ bias when not null): [B, in] → [B, out]. */
    INDArray forward(INDArray input, INDArray weight, INDArray bias) {
        INDArray x = HostMemory.dense(input);
        INDArray w = HostMemory.dense(weight);
        int batch = (int) x.size(0);
        INDArray y = Nd4j.create(DataType.FLOAT, batch, out);
        Blas.gemm(false, !inOut, batch, out, in, HostMemory.pointer(x), in, HostMemory.pointer(w), inOut ? out : in,
                0f, HostMemory.pointer(y), out);
        if (bias != null) {
            float[] b = bias.toFloatVector();
            FloatBuffer ys = HostMemory.floats(y);
            float[] row = new float[out];
            for (int r = 0; r < batch; r++) {
                ys.get(r * out, row);
                for (int j = 0; j < out; j++) {
                    row[j] += b[j];
                }
                ys.put(r * out, row);
            }
        }
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(w);
        return y;
    }

    /** δ·Wᵀ: [B, out] → [B, in]. */
    INDArray inputGradient(INDArray outputGradient, INDArray weight) {
        INDArray d = HostMemory.dense(outputGradient);
        INDArray w = HostMemory.dense(weight);
        int batch = (int) d.size(0);
        INDArray dx = Nd4j.create(DataType.FLOAT, batch, in);
        Blas.gemm(false, inOut, batch, in, out, HostMemory.pointer(d), out, HostMemory.pointer(w), inOut ? out : in,
                0f, HostMemory.pointer(dx), in);
        Reference.reachabilityFence(d);
        Reference.reachabilityFence(w);
        return dx;
    }

    /** Adds Xᵀ·δ (stored as the weight is) to {@code weightGradient}, and δ's column sums to {@code biasGradient} when not null. */
    void weightGradient(INDArray input, INDArray outputGradient, INDArray weightGradient, INDArray biasGradient) {
        INDArray x = HostMemory.dense(input);
        INDArray d = HostMemory.dense(outputGradient);
        int batch = (int) x.size(0);
        if (inOut) {
            Blas.gemm(true, false, in, out, batch, HostMemory.pointer(x), in, HostMemory.pointer(d), out, 1f,
                    HostMemory.pointer(weightGradient), out);
        } else {
            Blas.gemm(true, false, out, in, batch, HostMemory.pointer(d), out, HostMemory.pointer(x), in, 1f,
                    HostMemory.pointer(weightGradient), in);
        }
        if (biasGradient != null) {
            float[] delta = new float[batch * out];
            HostMemory.floats(d).get(0, delta);
            FloatBuffer gb = HostMemory.floats(biasGradient);
            for (int j = 0; j < out; j++) {
                double sum = 0;
                for (int r = 0; r < batch; r++) {
                    sum += delta[r * out + j];
                }
                gb.put(j, gb.get(j) + (float) sum);
            }
        }
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(d);
        Reference.reachabilityFence(weightGradient);
        Reference.reachabilityFence(biasGradient);
    }
}
