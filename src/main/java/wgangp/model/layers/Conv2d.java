package wgangp.model.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.Engine;

/**
 * PyTorch's Conv2d: [in, H, W] → [out, H′, W′], weight [out, in, k, k], bias [out]. Its input
 * gradient is the transposed convolution with the same weights; its tangent pass the convolution
 * without bias.
 */
public final class Conv2d implements CriticLayer {
    private final String name;
    private final long[] inputShape;
    private final long[] outputShape;
    private final Convolutions geometry;
    private final ConvolutionKernels kernels;

    /**
     * @param inputShape [in, H, W]
     * @param engine whose {@link ConvolutionKernels} compute it
     */
    public Conv2d(String name, long[] inputShape, int outChannels, int kernel, int stride, int padding,
                  Engine engine) {
        this.name = name;
        this.inputShape = Shapes.requireRank(inputShape, 3, name);
        this.geometry = new Convolutions(kernel, stride, padding);
        this.kernels = ConvolutionKernels.of(geometry, engine);
        this.outputShape = new long[] {outChannels, geometry.convolvedSide(inputShape[1]),
            geometry.convolvedSide(inputShape[2])};
        if (outChannels < 1 || outputShape[1] < 1 || outputShape[2] < 1) {
            throw new IllegalArgumentException(name + ": no output for input " + java.util.Arrays.toString(inputShape));
        }
    }

    @Override
    public long[] outputShape() {
        return outputShape.clone();
    }

    @Override
    public List<Parameter> parameters() {
        long fanIn = inputShape[0] * geometry.kernel() * geometry.kernel();
        return List.of(
                new Parameter(name + ".weight", new long[] {outputShape[0], inputShape[0], geometry.kernel(),
                    geometry.kernel()}, Parameter.Init.UNIFORM_FAN_IN, fanIn),
                new Parameter(name + ".bias", new long[] {outputShape[0]}, Parameter.Init.UNIFORM_FAN_IN, fanIn));
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode) {
        return kernels.convolve(input, weights.get(0), weights.get(1), output(input.size(0), input));
    }

    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights) {
        // out of an explicitly [B, in, H, W] buffer, so rows and columns no window reached get zero
        INDArray gradient = Nd4j.create(input.dataType(), Shapes.batch(input.size(0), inputShape));
        return kernels.transposedConvolve(outputGradient, weights.get(0), null, gradient);
    }

    @Override
    public void weightGradient(INDArray input, INDArray outputGradient, LayerWeights weights, LayerWeights gradient,
                               boolean withBias) {
        kernels.addKernelGradient(outputGradient, input, gradient.get(0));
        if (withBias) {
            gradient.get(1).addi(outputGradient.sum(0, 2, 3));
        }
    }

    @Override
    public INDArray tangent(INDArray tangent, INDArray input, LayerWeights weights) {
        return kernels.convolve(tangent, weights.get(0), null, output(tangent.size(0), tangent));
    }

    private INDArray output(long batch, INDArray like) {
        return Nd4j.create(like.dataType(), Shapes.batch(batch, outputShape));
    }
}
