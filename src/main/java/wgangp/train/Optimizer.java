package wgangp.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Updates one network's flat parameter vector from its flat gradient; the state lives inside. */
interface Optimizer {
    /**
     * One step; {@code iteration} counts this network's earlier steps (0 for the first). The
     * gradient may be overwritten: it is consumed.
     */
    void step(INDArray gradient, long iteration);
}
