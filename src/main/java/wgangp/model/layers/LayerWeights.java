package wgangp.model.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer's tensors as views of a network's flat vectors, in the order of
 * {@link Layer#parameters()}, and its running statistics (empty for most kinds). Writes go through
 * to the flat vectors, which is how the optimizer's updates and the accumulated gradients reach them.
 */
public record LayerWeights(INDArray[] tensors, INDArray statistics) {

    public INDArray get(int index) {
        return tensors[index];
    }
}
