package wgangp.model.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.model.kernels.Kernels;

/**
 * PyTorch's ConvTranspose2d: [in, H, W] → [out, H′, W′], weight [in, out, k, k], bias [out]. Its
 * input gradient is the convolution with the same weights. PyTorch computes its fan-in from weight
 * dimension 1, so the initial bound is 1/√(out·k·k).
 */
public final class ConvTranspose2d extends ConvolutionLayer {

    /**
     * @param inputShape [in, H, W]
     */
    public ConvTranspose2d(String name, long[] inputShape, int outChannels, int kernel, int stride, int padding) {
        super(name, inputShape, outChannels, kernel, stride, padding, true);
    }

    @Override
    public List<Parameter> parameters() {
        return parameters(inputShape[0], outputShape[0]);
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode, Kernels kernels) {
        return kernels.transposedConvolve(geometry, input, weights.get(0), weights.get(1), output(input.size(0), input));
    }

    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights,
                                  Kernels kernels) {
        return kernels.convolve(geometry, outputGradient, weights.get(0), null, inputSized(input.size(0), input));
    }

    @Override
    void addKernelGradient(INDArray input, INDArray outputGradient, INDArray target, Kernels kernels) {
        kernels.addKernelGradient(geometry, input, outputGradient, target);
    }

    @Override
    public INDArray tangent(INDArray tangent, INDArray input, LayerWeights weights, Kernels kernels) {
        return kernels.transposedConvolve(geometry, tangent, weights.get(0), null, output(tangent.size(0), tangent));
    }
}
