package wgangp.model.layers;

import java.io.Serializable;

/**
 * One tensor of a layer: its PyTorch name, its shape in PyTorch layout, and how a fresh network
 * fills it.
 *
 * @param fanIn for {@link Init#UNIFORM_FAN_IN}: the fan-in PyTorch's default initialisation uses
 */
public record Parameter(String name, long[] shape, Init init, long fanIn) implements Serializable {

    /** How PyTorch's default initialisation fills a tensor. */
    public enum Init {
        /** U(±1/√fanIn): kaiming_uniform(a=√5) for weights and the bias rule of Linear and the convolutions. */
        UNIFORM_FAN_IN,
        ONES,
        ZEROS
    }
}
