package wgangp.model.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * x ↦ x where x &gt; 0, slope·x elsewhere (ReLU is slope 0). Its mask, 1 or the slope, is read from
 * the input, as PyTorch's backward does; input gradient and tangent pass both multiply by it.
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

    /** ReLU: the slope-0 case. */
    public static LeakyRelu relu(long[] shape) {
        return new LeakyRelu(shape, 0);
    }

    @Override
    public long[] outputShape() {
        return shape.clone();
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode) {
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
        INDArray out = values.ulike();
        Nd4j.exec(new LeakyReLUBp(input, values, out, slope));
        return out;
    }
}
