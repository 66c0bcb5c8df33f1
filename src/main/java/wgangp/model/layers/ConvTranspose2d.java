package wgangp.model.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.Engine;

/**
 * PyTorch's ConvTranspose2d: [in, H, W] → [out, H′, W′], weight [in, out, k, k], bias [out]. Its
 * input gradient is the convolution with the same weights. PyTorch computes its fan-in from weight
 * dimension 1, so the initial bound is 1/√(out·k·k).
 */
public final class ConvTranspose2d implements CriticLayer {
    private final String name;
    private final long[] inputShape;
    private final long[] outputShape;
    private final Convolutions geometry;
    private final ConvolutionKernels kernels;

    /**
     * @param inputShape [in, H, W]
     * @param engine whose {@link ConvolutionKernels} compute it
     */
    public ConvTranspose2d(String name, long[] inputShape, int outChannels, int kernel, int stride, int padding,
                  Engine engine) {
        this.name = name;
        this.inputShape = Shapes.requireRank(inputShape, 3, name);
        this.geometry = new Convolutions(kernel, stride, padding);
        this.kernels = ConvolutionKernels.of(geometry, engine);
        this.outputShape = new long[] {outChannels, geometry.transposedSide(inputShape[1]),
            geometry.transposedSide(inputShape[2])};
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
        long fanIn = outputShape[0] * geometry.kernel() * geometry.kernel();
        return List.of(
                new Parameter(name + ".weight", new long[] {inputShape[0], outputShape[0], geometry.kernel(),
                    geometry.kernel()}, Parameter.Init.UNIFORM_FAN_IN, fanIn),
                new Parameter(name + ".bias", new long[] {outputShape[0]}, Parameter.Init.UNIFORM_FAN_IN, fanIn));
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode) {
        return kernels.transposedConvolve(input, weights.get(0), weights.get(1), output(input));
    }

    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights) {
        INDArray gradient = Nd4j.create(input.dataType(), Shapes.batch(input.size(0), inputShape));
        return kernels.convolve(outputGradient, weights.get(0), null, gradient);
    }

    @Override
    public void weightGradient(INDArray input, INDArray outputGradient, LayerWeights weights, LayerWeights gradient,
                               boolean withBias) {
        kernels.addKernelGradient(input, outputGradient, gradient.get(0));
        if (withBias) {
            gradient.get(1).addi(outputGradient.sum(0, 2, 3));
        }
    }

    @Override
    public INDArray tangent(INDArray tangent, INDArray input, LayerWeights weights) {
        return kernels.transposedConvolve(tangent, weights.get(0), null, output(tangent));
    }

    private INDArray output(INDArray like) {
        return Nd4j.create(like.dataType(), Shapes.batch(like.size(0), outputShape));
    }
}
