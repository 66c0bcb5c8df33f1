package wgangp.model.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.model.kernels.Kernels;

/**
 * One layer kind of a {@link LayerNetwork}: a map from a batch of inputs [B, …inputShape] to a
 * batch of outputs [B, …outputShape]. A layer holds only its shape; its tensors are views of the
 * network's flat vectors, handed in as {@link LayerWeights}, and what it computes is computed by the
 * engine's {@link Kernels}, handed in too, so one description runs on every engine. Input and output
 * shapes are fixed when the layer is built.
 */
public interface Layer {

    /** Shape of one sample's output. */
    long[] outputShape();

    /** The layer's tensors in PyTorch {@code state_dict} order and layout; none for a layer without weights. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Length of the running statistics this layer keeps beside its parameters (BatchNorm); 0 otherwise. */
    default long statisticsLength() {
        return 0;
    }

    /** The output for a batch of inputs. In {@link Mode#TRAINING} a layer with statistics updates them. */
    INDArray forward(INDArray input, LayerWeights weights, Mode mode, Kernels kernels);

    /**
     * ∂L/∂input given ∂L/∂output, for the {@code input} of a training-mode forward that gave
     * {@code output}.
     */
    INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights,
                           Kernels kernels);

    /**
     * Adds ∂L/∂θ to {@code gradient} (views laid out like {@code weights}): the layer's weight
     * gradient for {@code input} and ∂L/∂output. Without {@code withBias} only the kernel's
     * gradient is added, which is how the exact penalty uses this with (tangent, adjoint).
     */
    default void weightGradient(INDArray input, INDArray outputGradient, LayerWeights weights, LayerWeights gradient,
                                boolean withBias, Kernels kernels) {
    }

    /** Training: batch statistics (and running statistics move); inference: running statistics. */
    enum Mode {
        TRAINING,
        INFERENCE
    }
}
