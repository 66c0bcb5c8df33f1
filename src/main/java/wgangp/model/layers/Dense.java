package wgangp.model.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** PyTorch's Linear: [in] → [out], weight [out, in] (PyTorch's layout, not transposed), bias [out]. */
public final class Dense implements CriticLayer {
    private final String name;
    private final long in;
    private final long out;

    public Dense(String name, long in, long out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(name + ": Linear needs positive widths, got " + in + " -> " + out);
        }
        this.name = name;
        this.in = in;
        this.out = out;
    }

    @Override
    public long[] outputShape() {
        return new long[] {out};
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter(name + ".weight", new long[] {out, in}, Parameter.Init.UNIFORM_FAN_IN, in),
                new Parameter(name + ".bias", new long[] {out}, Parameter.Init.UNIFORM_FAN_IN, in));
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode) {
        return input.mmul(weights.get(0).transpose()).addiRowVector(weights.get(1));
    }

    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights) {
        return outputGradient.mmul(weights.get(0));
    }

    @Override
    public void weightGradient(INDArray input, INDArray outputGradient, LayerWeights weights, LayerWeights gradient,
                               boolean withBias) {
        gradient.get(0).addi(outputGradient.transpose().mmul(input));
        if (withBias) {
            gradient.get(1).addi(outputGradient.sum(0));
        }
    }

    @Override
    public INDArray tangent(INDArray tangent, INDArray input, LayerWeights weights) {
        return tangent.mmul(weights.get(0).transpose());
    }
}
