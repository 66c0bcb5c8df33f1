package wgangp.model.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computations layers are made of, for one engine: a layer says what it computes, its
 * {@code Kernels} compute it. {@code Engine.kernels} is the one place that picks the implementation:
 * {@link HostKernels} (loops and sgemm on ND4J's CPU memory) or {@link DeviceKernels} (ND4J ops, any
 * backend). Both compute the same numbers up to float32 rounding. An instance keeps scratch memory
 * between calls and serves one thread (one replica) at a time.
 *
 * <p>Arrays are batches, the first axis the sample. A Linear weight is [in, out] when {@code inOut}
 * (the MLP's stored layout), else PyTorch's [out, in].
 */
public interface Kernels {

    /** x·W (+ bias when not null): [B, in] → [B, out]. */
    INDArray linear(INDArray input, INDArray weight, INDArray bias, boolean inOut);

    /** δ·Wᵀ: [B, out] → [B, in]. */
    INDArray linearInputGradient(INDArray outputGradient, INDArray weight, boolean inOut);

    /** Adds xᵀ·δ (laid out as the weight) to {@code weightGradient}, and δ's column sums to {@code biasGradient} when not null. */
    void addLinearWeightGradient(INDArray input, INDArray outputGradient, INDArray weightGradient,
                                 INDArray biasGradient, boolean inOut);

    /** Convolution of x [B, in, H, W] with weights [out, in, k, k] (and bias [out] when not null) into {@code out}. */
    INDArray convolve(Convolution geometry, INDArray x, INDArray weights, INDArray bias, INDArray out);

    /**
     * Transposed convolution of x [B, in, H, W] with weights [in, out, k, k] (and bias [out] when not
     * null) into {@code out} [B, out, H′, W′]: every input value scatters its k×k patch of weights.
     */
    INDArray transposedConvolve(Convolution geometry, INDArray x, INDArray weights, INDArray bias, INDArray out);

    /**
     * Adds to {@code target} [C_small, C_large, k, k] the sum over batch and positions of
     * small[b, c, i, j] · patch[b, c′, :, :, i, j], the patches those of {@code large}'s im2col. For a
     * convolution, small is ∂L/∂output and large its input ([out, in, k, k]); for a transposed
     * convolution, small is its input and large ∂L/∂output ([in, out, k, k]).
     */
    void addKernelGradient(Convolution geometry, INDArray small, INDArray large, INDArray target);

    /**
     * BatchNorm over x [B, C, H, W] per channel: in training, the batch's mean and biased variance
     * (across this replica's group when it trains with synchronised BatchNorm), the running
     * statistics moving by the momentum with the unbiased variance; in inference, the running ones.
     * (x − mean)·(γ/√(var + eps)) + β.
     */
    INDArray batchNorm(INDArray input, BatchNormTensors tensors, double momentum, double eps, boolean training);

    /** Training mode: ∂L/∂x = γ·s·(δ − mean δ − x̂·mean(δ·x̂)) per channel, s = 1/√(var + eps), x̂ the normalized input. */
    INDArray batchNormInputGradient(INDArray input, INDArray outputGradient, INDArray gamma, double eps);

    /** Adds γ's gradient Σ δ·x̂ to {@code gammaGradient}, and β's Σ δ to {@code betaGradient} when not null. */
    void addBatchNormWeightGradient(INDArray input, INDArray outputGradient, INDArray gammaGradient,
                                    INDArray betaGradient, double eps);

    /**
     * {@code values} times a leaky ReLU's mask read from {@code input}: 1 where the input is positive,
     * {@code slope} elsewhere. With values = input it is the forward pass; with a gradient or a
     * tangent, the backward and tangent passes.
     */
    INDArray leakyMasked(INDArray input, INDArray values, double slope);

    /** A BatchNorm layer's tensors: γ and β [C], and the running mean and (unbiased) variance [C] it keeps. */
    record BatchNormTensors(INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar) {
    }
}
