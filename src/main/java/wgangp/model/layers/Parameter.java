package wgangp.model.layers;

import java.io.Serializable;

/**
 * One tensor of a layer: its PyTorch name, its shape as stored, and how a fresh network fills it.
 *
 * @param shape PyTorch's layout, or its transpose when {@code transposedFromTorch}
 * @param fanIn for {@link Init#UNIFORM_FAN_IN}: the fan-in PyTorch's default initialisation uses
 * @param transposedFromTorch a matrix stored as the transpose of PyTorch's (the MLP's Linear weights, [in, out])
 */
public record Parameter(String name, long[] shape, Init init, long fanIn, boolean transposedFromTorch)
        implements Serializable {

    /** A tensor stored in PyTorch's layout. */
    public Parameter(String name, long[] shape, Init init, long fanIn) {
        this(name, shape, init, fanIn, false);
    }

    /** How PyTorch's default initialisation fills a tensor. */
    public enum Init {
        /** U(±1/√fanIn): kaiming_uniform(a=√5) for weights and the bias rule of Linear and the convolutions. */
        UNIFORM_FAN_IN,
        ONES,
        ZEROS
    }
}
