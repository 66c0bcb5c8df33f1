package wgangp.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.factory.Nd4j;

/** x ↦ x (x &gt; 0), slope·x (otherwise) as an ND4J op, for the oracles' inference paths. ReLU is slope 0, identity slope 1. */
final class Activations {
    private Activations() {
    }

    /** A new array holding the activation of {@code pre}. */
    static INDArray leaky(INDArray pre, double slope) {
        INDArray out = pre.ulike();
        Nd4j.exec(new LeakyReLU(pre, out, slope));
        return out;
    }
}
