package wgangp.model.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.model.kernels.Kernels;

/**
 * PyTorch's Conv2d: [in, H, W] → [out, H′, W′], weight [out, in, k, k], bias [out]. Its input
 * gradient is the transposed convolution with the same weights; its tangent pass the convolution
 * without bias.
 */
public final class Conv2d extends ConvolutionLayer {

    /**
     * @param inputShape [in, H, W]
     */
    public Conv2d(String name, long[] inputShape, int outChannels, int kernel, int stride, int padding) {
        super(name, inputShape, outChannels, kernel, stride, padding, false);
    }

    @Override
    public List<Parameter> parameters() {
        return parameters(outputShape[0], inputShape[0]);
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode, Kernels kernels) {
        return kernels.convolve(geometry, input, weights.get(0), weights.get(1), output(input.size(0), input));
    }

    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights,
                                  Kernels kernels) {
        return kernels.transposedConvolve(geometry, outputGradient, weights.get(0), null, inputSized(input.size(0), input));
    }

    @Override
    void addKernelGradient(INDArray input, INDArray outputGradient, INDArray target, Kernels kernels) {
        kernels.addKernelGradient(geometry, outputGradient, input, target);
    }

    @Override
    public INDArray tangent(INDArray tangent, INDArray input, LayerWeights weights, Kernels kernels) {
        return kernels.convolve(geometry, tangent, weights.get(0), null, output(tangent.size(0), tangent));
    }
}
