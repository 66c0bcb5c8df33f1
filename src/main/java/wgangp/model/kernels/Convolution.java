package wgangp.model.kernels;

/**
 * A convolution's geometry: square kernel, stride and padding, no dilation (NCHW). What a
 * convolution layer tells its {@link Kernels}; both kinds, convolution and transposed convolution,
 * share it, since each is the other's input gradient.
 */
public record Convolution(int kernel, int stride, int padding) {

    public Convolution {
        if (kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("convolution needs kernel >= 1, stride >= 1, padding >= 0, got kernel "
                    + kernel + ", stride " + stride + ", padding " + padding);
        }
    }

    /** Output side of a convolution over a side of {@code in}. */
    public long convolvedSide(long in) {
        return (in + 2L * padding - kernel) / stride + 1;
    }

    /** Output side of a transposed convolution over a side of {@code in}. */
    public long transposedSide(long in) {
        return (in - 1) * stride - 2L * padding + kernel;
    }
}
