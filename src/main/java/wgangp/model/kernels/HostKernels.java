package wgangp.model.kernels;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.Activation;
import wgangp.model.ReplicaGroup;

/**
 * {@link Kernels} on ND4J's CPU backend: loops over the arrays' host memory between sgemm calls
 * straight into oneDNN ({@link Blas}). At training's sizes each ND4J op call has a fixed cost of
 * tens of microseconds and each temporary array more, which these avoid: {@link HostDense} (one
 * sgemm per product), {@link OneDnnConvolutions} (oneDNN's convolution primitives), {@link HostBatchNorm}
 * (loops over a heap copy, synchronised across a replica group when it is one), and the leaky ReLU's
 * mask as one loop (ND4J's scalar and backprop ops took about 4 ns per value at the dcgan critic's
 * sizes, a fifth of its step). Refuses to start on any other backend, where host memory is a stale
 * copy.
 */
public final class HostKernels implements Kernels {
    private static final int CHUNK = 1 << 14;
    private final HostBatchNorm batchNorm;
    private final Map<ConvolutionShape, OneDnnConvolutions> convolutions = new HashMap<>();
    private final engine oneDnn;
    private final stream oneDnnStream;

    /** @param batchNormGroup the replicas whose batches BatchNorm normalizes together ({@link ReplicaGroup#SINGLE}: each its own) */
    public HostKernels(ReplicaGroup batchNormGroup) {
        HostMemory.requireCpuBackend();
        this.batchNorm = new HostBatchNorm(batchNormGroup);
        this.oneDnn = new engine(engine.kind.cpu, 0);
        this.oneDnnStream = new stream(oneDnn);
    }

    @Override
    public INDArray linear(INDArray input, INDArray weight, INDArray bias, boolean inOut) {
        return new HostDense(weight, inOut).forward(input, weight, bias);
    }

    @Override
    public INDArray linearInputGradient(INDArray outputGradient, INDArray weight, boolean inOut) {
        return new HostDense(weight, inOut).inputGradient(outputGradient, weight);
    }

    @Override
    public void addLinearWeightGradient(INDArray input, INDArray outputGradient, INDArray weightGradient,
                                        INDArray biasGradient, boolean inOut) {
        new HostDense(weightGradient, inOut).weightGradient(input, outputGradient, weightGradient, biasGradient);
    }

    @Override
    public INDArray convolve(Convolution geometry, INDArray x, INDArray weights, INDArray bias, INDArray out) {
        return convolutions(geometry, x, out).convolve(x, weights, bias, out);
    }

    @Override
    public INDArray transposedConvolve(Convolution geometry, INDArray x, INDArray weights, INDArray bias,
                                       INDArray out) {
        return convolutions(geometry, out, x).transposedConvolve(x, weights, bias, out);
    }

    @Override
    public void addKernelGradient(Convolution geometry, INDArray small, INDArray large, INDArray target) {
        convolutions(geometry, large, small).addKernelGradient(small, large, target);
    }

    /** A convolution's geometry and the sides of its larger and smaller maps: what its primitives depend on. */
    private record ConvolutionShape(Convolution geometry, long largeHeight, long largeWidth, long smallHeight,
                                    long smallWidth) {
    }

    private OneDnnConvolutions convolutions(Convolution geometry, INDArray large, INDArray small) {
        return convolutions.computeIfAbsent(new ConvolutionShape(geometry, large.size(2), large.size(3),
                small.size(2), small.size(3)), key -> new OneDnnConvolutions(geometry, oneDnn, oneDnnStream));
    }

    @Override
    public INDArray batchNorm(INDArray input, BatchNormTensors tensors, double momentum, double eps,
                              boolean training) {
        return batchNorm.forward(input, tensors, momentum, eps, training);
    }

    @Override
    public INDArray batchNormInputGradient(INDArray input, INDArray outputGradient, INDArray gamma, double eps) {
        return batchNorm.inputGradient(input, outputGradient, gamma, eps);
    }

    @Override
    public void addBatchNormWeightGradient(INDArray input, INDArray outputGradient, INDArray gammaGradient,
                                           INDArray betaGradient, double eps) {
        batchNorm.weightGradient(input, outputGradient, gammaGradient, betaGradient, eps);
    }

    @Override
    public INDArray leakyMasked(INDArray input, INDArray values, double slope) {
        INDArray in = HostMemory.dense(input);
        INDArray v = HostMemory.dense(values);
        INDArray out = Nd4j.create(DataType.FLOAT, values.shape());
        FloatBuffer ib = HostMemory.floats(in);
        FloatBuffer vb = HostMemory.floats(v);
        FloatBuffer ob = HostMemory.floats(out);
        float s = (float) slope;
        int n = Math.toIntExact(out.length());
        float[] x = new float[Math.min(n, CHUNK)];
        float[] y = new float[x.length];
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            ib.get(from, x, 0, len);
            vb.get(from, y, 0, len);
            for (int i = 0; i < len; i++) {
                y[i] *= Activation.leakyMask(x[i], s);
            }
            ob.put(from, y, 0, len);
        }
        // the buffers do not keep their arrays' native memory alive
        Reference.reachabilityFence(in);
        Reference.reachabilityFence(v);
        return out;
    }
}
