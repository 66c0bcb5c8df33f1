package wgangp.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training-mode forward passes of a generator network and the backward pass, on buffers sized for
 * {@code groups} batches stacked row-wise. BatchNorm normalizes each batch with its own mean and
 * biased variance and updates the running statistics batch after batch, exactly as that many
 * PyTorch {@code train()} forwards would; stacking only makes the gemms taller. The backward pass
 * needs a single batch. {@link Engine} chooses the implementation.
 */
public interface GeneratorPass extends AutoCloseable {

    /** The latent batch to fill before {@link #forward()}. */
    INDArray z();

    /** G(z) after {@link #forward()}, [groups·B, outputSize]. */
    INDArray images();

    /** The flat gradient written by {@link #backward}, in the generator's parameter layout. */
    INDArray gradient();

    /** G(z) in training mode; updates BatchNorm running statistics. */
    INDArray forward();

    /**
     * Back-propagates ∂L/∂images through tanh, the dense layers and BatchNorm (batch statistics
     * included) into {@link #gradient()}. Overwrites {@code imageGradient}, a whole [B, out] float array.
     */
    void backward(INDArray imageGradient);

    /** Frees the native buffers now rather than whenever the garbage collector gets to them. */
    @Override
    void close();
}
