package wgangp.train;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam over one network's flat float parameter vector, PyTorch's formula exactly:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂/(√v̂ + ε) with bias-corrected m̂, v̂.
 * The state is one flat vector [m | v], so it can be averaged and checkpointed like the parameters.
 *
 * <p>One fused loop over the native buffers rather than ND4J's Adam op: at this model size the
 * op took ~3 ms per critic step against ~0.3 ms for this loop (it evaluates powers per element),
 * a quarter of the whole step. {@code AdamOptimizerTest} checks it against ND4J's updater. It works on
 * host buffers, so it belongs to the host engine; {@link DeviceAdamOptimizer} is the device engine's.
 */
final class AdamOptimizer implements Optimizer {
    private final FloatBuffer params;
    private final FloatBuffer m;
    private final FloatBuffer v;
    private final int length;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private static final int CHUNK = 4096;
    private final float[] gChunk = new float[CHUNK];
    private final float[] mChunk = new float[CHUNK];
    private final float[] vChunk = new float[CHUNK];
    private final float[] pChunk = new float[CHUNK];

    AdamOptimizer(INDArray params, INDArray state, WganGpConfig config) {
        requireWhole(params, "parameters");
        requireWhole(state, "Adam state");
        if (state.length() != 2 * params.length()) {
            throw new IllegalArgumentException("Adam state has " + state.length() + " values, expected 2 x "
                    + params.length());
        }
        this.length = Math.toIntExact(params.length());
        this.params = params.data().asNioFloat();
        FloatBuffer s = state.data().asNioFloat();
        this.m = s.slice(0, length);
        this.v = s.slice(length, length);
        this.learningRate = config.learningRate();
        this.beta1 = config.beta1();
        this.beta2 = config.beta2();
        this.epsilon = config.adamEpsilon();
    }

    private static void requireWhole(INDArray a, String what) {
        if (a.dataType() != DataType.FLOAT || a.offset() != 0 || a.data().length() != a.length()) {
            throw new IllegalArgumentException(what + " must be a whole float vector, got " + a.shapeInfoToString());
        }
    }

    /** One step; {@code iteration} counts this network's earlier steps (0 for the first). The gradient is left as it was. */
    @Override
    public void step(INDArray gradient, long iteration) {
        requireWhole(gradient, "gradient");
        FloatBuffer g = gradient.data().asNioFloat();
        long t = iteration + 1;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float stepSize = (float) (learningRate / (1 - Math.pow(beta1, t)));
        float invSqrtBias2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
        float eps = (float) epsilon;
        // chunks copied to heap arrays: the loop over plain float[] vectorises, over buffers it does not
        for (int start = 0; start < length; start += CHUNK) {
            int n = Math.min(CHUNK, length - start);
            g.get(start, gChunk, 0, n);
            m.get(start, mChunk, 0, n);
            v.get(start, vChunk, 0, n);
            params.get(start, pChunk, 0, n);
            for (int i = 0; i < n; i++) {
                float gi = gChunk[i];
                float mi = b1 * mChunk[i] + oneMinusB1 * gi;
                float vi = b2 * vChunk[i] + oneMinusB2 * gi * gi;
                mChunk[i] = mi;
                vChunk[i] = vi;
                pChunk[i] -= stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBias2 + eps);
            }
            m.put(start, mChunk, 0, n);
            v.put(start, vChunk, 0, n);
            params.put(start, pChunk, 0, n);
        }
    }
}
