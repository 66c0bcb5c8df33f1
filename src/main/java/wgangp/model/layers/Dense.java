package wgangp.model.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.model.kernels.Kernels;

/**
 * PyTorch's Linear: [in] → [out], bias [out], weight [out, in] in PyTorch's layout or, for the MLP's
 * flat vectors, stored as its transpose [in, out] ({@link #storedInOut}).
 */
public final class Dense implements CriticLayer {
    private final String name;
    private final long in;
    private final long out;
    private final boolean inOut;

    /** Weight stored [out, in], as PyTorch does. */
    public Dense(String name, long in, long out) {
        this(name, in, out, false);
    }

    private Dense(String name, long in, long out, boolean inOut) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(name + ": Linear needs positive widths, got " + in + " -> " + out);
        }
        this.name = name;
        this.in = in;
        this.out = out;
        this.inOut = inOut;
    }

    /** Weight stored [in, out]: the layout of the MLP's flat parameter vectors and checkpoints. */
    public static Dense storedInOut(String name, long in, long out) {
        return new Dense(name, in, out, true);
    }

    public String name() {
        return name;
    }

    public long in() {
        return in;
    }

    /** Whether the weight is stored [in, out] rather than PyTorch's [out, in]. */
    public boolean inOut() {
        return inOut;
    }

    @Override
    public long[] outputShape() {
        return new long[] {out};
    }

    @Override
    public List<Parameter> parameters() {
        long[] weightShape = inOut ? new long[] {in, out} : new long[] {out, in};
        return List.of(new Parameter(name + ".weight", weightShape, Parameter.Init.UNIFORM_FAN_IN, in, inOut),
                new Parameter(name + ".bias", new long[] {out}, Parameter.Init.UNIFORM_FAN_IN, in));
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode, Kernels kernels) {
        return kernels.linear(input, weights.get(0), weights.get(1), inOut);
    }

    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights,
                                  Kernels kernels) {
        return kernels.linearInputGradient(outputGradient, weights.get(0), inOut);
    }

    @Override
    public void weightGradient(INDArray input, INDArray outputGradient, LayerWeights weights, LayerWeights gradient,
                               boolean withBias, Kernels kernels) {
        kernels.addLinearWeightGradient(input, outputGradient, gradient.get(0), withBias ? gradient.get(1) : null,
                inOut);
    }

    @Override
    public INDArray tangent(INDArray tangent, INDArray input, LayerWeights weights, Kernels kernels) {
        return kernels.linear(tangent, weights.get(0), null, inOut);
    }
}
