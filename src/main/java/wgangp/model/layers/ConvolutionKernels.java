package wgangp.model.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.model.Engine;

/**
 * The three kernels both convolution kinds are built from (NCHW, square kernels, no dilation), one
 * implementation per {@link Engine}. A convolution and a transposed convolution with the same
 * weights are each other's input gradient, so {@link Conv2d} and {@link ConvTranspose2d} share them.
 */
interface ConvolutionKernels {

    /** Convolution of x [B, in, H, W] with weights [out, in, k, k] (and bias [out] when not null) into {@code out}. */
    INDArray convolve(INDArray x, INDArray weights, INDArray bias, INDArray out);

    /**
     * Transposed convolution of x [B, in, H, W] with weights [in, out, k, k] (and bias [out] when not
     * null) into {@code out} [B, out, H′, W′]: every input value scatters its k×k patch of weights.
     */
    INDArray transposedConvolve(INDArray x, INDArray weights, INDArray bias, INDArray out);

    /**
     * Adds to {@code target} [C_small, C_large, k, k] the sum over batch and positions of
     * small[b, c, i, j] · patch[b, c′, :, :, i, j], the patches those of {@code large}'s im2col. For a
     * convolution, small is ∂L/∂output and large its input ([out, in, k, k]); for a transposed
     * convolution, small is its input and large ∂L/∂output ([in, out, k, k]).
     */
    void addKernelGradient(INDArray small, INDArray large, INDArray target);

    /** The kernels of {@code engine} (resolved on this JVM's backend) for this geometry. */
    static ConvolutionKernels of(Convolutions geometry, Engine engine) {
        return engine.onHost() ? new HostConvolutions(geometry) : geometry;
    }
}
