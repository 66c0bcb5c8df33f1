package wgangp.model.layers;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.Activation;
import wgangp.model.Engine;
import wgangp.model.HostMemory;

/**
 * x ↦ x where x &gt; 0, slope·x elsewhere (ReLU is slope 0). Its mask, 1 or the slope, is read from
 * the input, as PyTorch's backward does; forward, input gradient and tangent pass all multiply by it.
 * On the host engine that multiplication is one Java loop over the arrays' memory: ND4J's scalar
 * and backprop ops took about 4 ns per value at the dcgan critic's sizes, a fifth of its step.
 */
public final class LeakyRelu implements CriticLayer {
    private static final int CHUNK = 1 << 14;
    private final long[] shape;
    private final double slope;
    private final boolean host;

    /** @param engine whose kernels compute it */
    public LeakyRelu(long[] shape, double slope, Engine engine) {
        if (!(slope >= 0 && slope < 1)) {
            throw new IllegalArgumentException("LeakyReLU slope must be in [0, 1), got " + slope);
        }
        this.shape = shape.clone();
        this.slope = slope;
        this.host = engine.onHost();
    }

    /** ReLU: the slope-0 case. */
    public static LeakyRelu relu(long[] shape, Engine engine) {
        return new LeakyRelu(shape, 0, engine);
    }

    @Override
    public long[] outputShape() {
        return shape.clone();
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode) {
        if (host) {
            return hostMasked(input, input);
        }
        INDArray out = input.ulike();
        Nd4j.exec(new LeakyReLU(input, out, slope));
        return out;
    }

    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights) {
        return masked(input, outputGradient);
    }

    @Override
    public INDArray tangent(INDArray tangent, INDArray input, LayerWeights weights) {
        return masked(input, tangent);
    }

    /** {@code values} times the mask (1 where the input is positive, the slope elsewhere), in one op. */
    private INDArray masked(INDArray input, INDArray values) {
        if (host) {
            return hostMasked(input, values);
        }
        INDArray out = values.ulike();
        Nd4j.exec(new LeakyReLUBp(input, values, out, slope));
        return out;
    }

    private INDArray hostMasked(INDArray input, INDArray values) {
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
