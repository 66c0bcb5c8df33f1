package wgangp.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The piecewise-linear activation x ↦ x (x &gt; 0), slope·x (otherwise) and its mask, as ND4J
 * ops that write into given buffers. ReLU is slope 0, identity slope 1.
 */
final class Activations {
    private Activations() {
    }

    /** A new array holding the activation of {@code pre}. */
    static INDArray leaky(INDArray pre, double slope) {
        INDArray out = pre.ulike();
        leaky(pre, slope, out);
        return out;
    }

    static void leaky(INDArray pre, double slope, INDArray out) {
        Nd4j.exec(new LeakyReLU(pre, out, slope));
    }

    /** out = 1 where pre &gt; 0, slope elsewhere: the Jacobian diagonal, reused by every backward pass. */
    static void mask(INDArray pre, double slope, INDArray out) {
        Nd4j.exec(new LeakyReLUDerivative(pre, out, slope));
    }
}
