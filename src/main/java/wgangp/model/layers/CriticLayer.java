package wgangp.model.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.model.kernels.Kernels;

/**
 * A layer kind the critic may use: piecewise-linear in its input, so that the second derivative
 * vanishes almost everywhere and the gradient penalty has the closed form of
 * {@link wgangp.model.GradientPenalty}. Such a layer also implements the tangent pass.
 */
public interface CriticLayer extends Layer {

    /**
     * The tangent pass: the layer's linear part without bias applied to {@code tangent}, with the
     * masks that the forward of {@code input} chose (a LeakyReLU's slope where its input was
     * negative). A batch of tangents in, one of the same shape as the output out.
     */
    INDArray tangent(INDArray tangent, INDArray input, LayerWeights weights, Kernels kernels);
}
