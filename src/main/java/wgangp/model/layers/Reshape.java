package wgangp.model.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.model.kernels.Kernels;

/**
 * A change of per-sample shape in c order: flattening [C, H, W] gives PyTorch's
 * [channel, row, column] order. Linear, so its tangent pass is itself.
 */
public final class Reshape implements CriticLayer {
    private final long[] inputShape;
    private final long[] outputShape;

    public Reshape(long[] inputShape, long... outputShape) {
        if (Shapes.length(inputShape) != Shapes.length(outputShape)) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(inputShape) + " to "
                    + Arrays.toString(outputShape));
        }
        this.inputShape = inputShape.clone();
        this.outputShape = outputShape.clone();
    }

    @Override
    public long[] outputShape() {
        return outputShape.clone();
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode, Kernels kernels) {
        return to(input, outputShape);
    }

    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights,
                                  Kernels kernels) {
        return to(outputGradient, inputShape);
    }

    @Override
    public INDArray tangent(INDArray tangent, INDArray input, LayerWeights weights, Kernels kernels) {
        return to(tangent, outputShape);
    }

    private static INDArray to(INDArray batch, long[] sample) {
        return batch.reshape('c', Shapes.batch(batch.size(0), sample));
    }
}
