package wgangp.model.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.model.kernels.Kernels;

/**
 * x ↦ x where x &gt; 0, slope·x elsewhere (ReLU is slope 0). Its mask, 1 or the slope, is read from
 * the input, as PyTorch's backward does; forward, input gradient and tangent pass all multiply by it.
 */
public final class LeakyRelu implements CriticLayer {
    private final long[] shape;
    private final double slope;

    public LeakyRelu(long[] shape, double slope) {
        if (!(slope >= 0 && slope < 1)) {
            throw new IllegalArgumentException("LeakyReLU slope must be in [0, 1), got " + slope);
        }
        this.shape = shape.clone();
        this.slope = slope;
    }

    public double slope() {
        return slope;
    }

    @Override
    public long[] outputShape() {
        return shape.clone();
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode, Kernels kernels) {
        return kernels.leakyMasked(input, input, slope);
    }

    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights,
                                  Kernels kernels) {
        return kernels.leakyMasked(input, outputGradient, slope);
    }

    @Override
    public INDArray tangent(INDArray tangent, INDArray input, LayerWeights weights, Kernels kernels) {
        return kernels.leakyMasked(input, tangent, slope);
    }
}
