package wgangp.model.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.model.kernels.Kernels;
import org.nd4j.linalg.ops.transforms.Transforms;

/** tanh, the generator's output squashing; not piecewise-linear, so never in a critic. */
public final class Tanh implements Layer {
    private final long[] shape;

    public Tanh(long[] shape) {
        this.shape = shape.clone();
    }

    @Override
    public long[] outputShape() {
        return shape.clone();
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode, Kernels kernels) {
        return Transforms.tanh(input, true);
    }

    /** tanh′ = 1 − tanh², read from the output. */
    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights,
                                  Kernels kernels) {
        return output.mul(output).rsubi(1.0).muli(outputGradient);
    }
}
