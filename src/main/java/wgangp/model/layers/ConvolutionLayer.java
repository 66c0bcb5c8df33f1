package wgangp.model.layers;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.kernels.Convolution;
import wgangp.model.kernels.Kernels;

/**
 * What {@link Conv2d} and {@link ConvTranspose2d} share: a name, [in, H, W] → [out, H′, W′], a
 * square kernel with stride and padding ({@link Convolution}, what the {@link Kernels} take), and
 * the two tensors weight [k-by-k kernel of PyTorch's layout] and bias [out].
 */
abstract class ConvolutionLayer implements CriticLayer {
    final String name;
    final long[] inputShape;
    final long[] outputShape;
    final Convolution geometry;

    /** @param transposed whether the output side is the transposed convolution's */
    ConvolutionLayer(String name, long[] inputShape, int outChannels, int kernel, int stride, int padding,
                     boolean transposed) {
        this.name = name;
        this.inputShape = Shapes.requireRank(inputShape, 3, name);
        this.geometry = new Convolution(kernel, stride, padding);
        this.outputShape = new long[] {outChannels, side(inputShape[1], transposed), side(inputShape[2], transposed)};
        if (outChannels < 1 || outputShape[1] < 1 || outputShape[2] < 1) {
            throw new IllegalArgumentException(name + ": no output for input " + Arrays.toString(inputShape));
        }
    }

    private long side(long in, boolean transposed) {
        return transposed ? geometry.transposedSide(in) : geometry.convolvedSide(in);
    }

    @Override
    public long[] outputShape() {
        return outputShape.clone();
    }

    /**
     * Weight [first, second, k, k] and bias [out], both U(±1/√fanIn) initially, fanIn = second·k·k
     * as PyTorch computes it from weight dimension 1 for both kinds.
     */
    List<Parameter> parameters(long first, long second) {
        int k = geometry.kernel();
        long fanIn = second * k * k;
        return List.of(
                new Parameter(name + ".weight", new long[] {first, second, k, k}, Parameter.Init.UNIFORM_FAN_IN, fanIn),
                new Parameter(name + ".bias", new long[] {outputShape[0]}, Parameter.Init.UNIFORM_FAN_IN, fanIn));
    }

    @Override
    public void weightGradient(INDArray input, INDArray outputGradient, LayerWeights weights, LayerWeights gradient,
                               boolean withBias, Kernels kernels) {
        addKernelGradient(input, outputGradient, gradient.get(0), kernels);
        if (withBias) {
            gradient.get(1).addi(outputGradient.sum(0, 2, 3));
        }
    }

    /** The kernel's gradient for this kind, added to {@code target}. */
    abstract void addKernelGradient(INDArray input, INDArray outputGradient, INDArray target, Kernels kernels);

    /** A fresh [batch, out, H′, W′] array. */
    INDArray output(long batch, INDArray like) {
        return Nd4j.create(like.dataType(), Shapes.batch(batch, outputShape));
    }

    /** A fresh [batch, in, H, W] array, zero where no window reaches. */
    INDArray inputSized(long batch, INDArray like) {
        return Nd4j.create(like.dataType(), Shapes.batch(batch, inputShape));
    }
}
