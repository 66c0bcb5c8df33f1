package wgangp.model.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.model.Engine;

/**
 * PyTorch's Linear: [in] → [out], bias [out], weight [out, in] in PyTorch's layout or, for the MLP's
 * flat vectors, stored as its transpose [in, out] ({@link #storedInOut}). On the host engine
 * {@link HostDense} computes its products.
 */
public final class Dense implements CriticLayer {
    private final String name;
    private final long in;
    private final long out;
    private final boolean inOut;
    private final HostDense host;

    /**
     * Weight stored [out, in], as PyTorch does.
     *
     * @param engine whose kernels compute it
     */
    public Dense(String name, long in, long out, Engine engine) {
        this(name, in, out, false, engine);
    }

    private Dense(String name, long in, long out, boolean inOut, Engine engine) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(name + ": Linear needs positive widths, got " + in + " -> " + out);
        }
        this.name = name;
        this.in = in;
        this.out = out;
        this.inOut = inOut;
        this.host = engine.onHost() ? new HostDense(in, out, inOut) : null;
    }

    /** Weight stored [in, out]: the layout of the MLP's flat parameter vectors and checkpoints. */
    public static Dense storedInOut(String name, long in, long out, Engine engine) {
        return new Dense(name, in, out, true, engine);
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
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode) {
        if (host != null) {
            return host.forward(input, weights.get(0), weights.get(1));
        }
        return input.mmul(forwardMatrix(weights)).addiRowVector(weights.get(1));
    }

    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights) {
        if (host != null) {
            return host.inputGradient(outputGradient, weights.get(0));
        }
        return outputGradient.mmul(forwardMatrix(weights).transpose());
    }

    @Override
    public void weightGradient(INDArray input, INDArray outputGradient, LayerWeights weights, LayerWeights gradient,
                               boolean withBias) {
        if (host != null) {
            host.weightGradient(input, outputGradient, gradient.get(0), withBias ? gradient.get(1) : null);
            return;
        }
        gradient.get(0).addi(inOut ? input.transpose().mmul(outputGradient) : outputGradient.transpose().mmul(input));
        if (withBias) {
            gradient.get(1).addi(outputGradient.sum(0));
        }
    }

    @Override
    public INDArray tangent(INDArray tangent, INDArray input, LayerWeights weights) {
        if (host != null) {
            return host.forward(tangent, weights.get(0), null);
        }
        return tangent.mmul(forwardMatrix(weights));
    }

    /** The [in, out] matrix the forward multiplies by. */
    private INDArray forwardMatrix(LayerWeights weights) {
        return inOut ? weights.get(0) : weights.get(0).transpose();
    }
}
