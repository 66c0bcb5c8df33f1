package wgangp.model.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution's geometry (square kernel, stride, padding; no dilation), and its
 * {@link ConvolutionKernels} in ND4J ops, which run on every backend:
 * <ul>
 *   <li>{@link #convolve}: {@code conv2d} with weights [out, in, k, k] (PyTorch's Conv2d layout,
 *       libnd4j weight format 1);</li>
 *   <li>{@link #transposedConvolve}: with weights [in, out, k, k] (PyTorch's ConvTranspose2d
 *       layout), one gemm into patches and {@code col2im};</li>
 *   <li>{@link #addKernelGradient}: {@code im2col} of the larger map, contracted with the smaller one
 *       over batch and positions in one gemm — the weight gradient of both kinds.</li>
 * </ul>
 * Measured here at the dcgan critic's sizes (batch 192, 32 → 64 channels, 14×14 → 7×7), gemm plus
 * {@code col2im} takes about a quarter of libnd4j's {@code deconv2d} time, and contracting the
 * patches as rank-3 arrays about 60 % of contracting them as rank 6 (whose permuted copy dominates);
 * {@code conv2d} itself beats im2col plus gemm, so the forward uses it.
 */
record Convolutions(int kernel, int stride, int padding) implements ConvolutionKernels {

    Convolutions {
        if (kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("convolution needs kernel >= 1, stride >= 1, padding >= 0, got kernel "
                    + kernel + ", stride " + stride + ", padding " + padding);
        }
    }

    /** Output side of a convolution over a side of {@code in}. */
    long convolvedSide(long in) {
        return (in + 2L * padding - kernel) / stride + 1;
    }

    /** Output side of a transposed convolution over a side of {@code in}. */
    long transposedSide(long in) {
        return (in - 1) * stride - 2L * padding + kernel;
    }

    /** Patches [B, out·k·k, H·W] = per sample Wᵀ·x_b, summed into place by col2im. */
    @Override
    public INDArray transposedConvolve(INDArray x, INDArray weights, INDArray bias, INDArray out) {
        long batch = x.size(0);
        long in = weights.size(0);
        long channels = weights.size(1);
        INDArray patches = Nd4j.tensorMmul(contiguous(weights).reshape(in, channels * kernel * kernel),
                contiguous(x).reshape(batch, in, x.size(2) * x.size(3)), new int[][] {{0}, {1}});
        INDArray columns = patches.permute(1, 0, 2).dup('c')
                .reshape(batch, channels, kernel, kernel, x.size(2), x.size(3));
        // sH, sW, pH, pW, image H, image W, dH, dW, same-mode 0
        Nd4j.exec(DynamicCustomOp.builder("col2im")
                .addInputs(columns)
                .addOutputs(out)
                .addIntegerArguments(stride, stride, padding, padding, (int) out.size(2), (int) out.size(3), 1, 1, 0)
                .build());
        if (bias != null) {
            Broadcast.add(out, bias, out, 1);
        }
        return out;
    }

    @Override
    public void addKernelGradient(INDArray small, INDArray large, INDArray target) {
        long batch = large.size(0);
        long positions = small.size(2) * small.size(3);
        INDArray columns = Nd4j.create(large.dataType(), batch, large.size(1), kernel, kernel, small.size(2),
                small.size(3));
        DynamicCustomOp im2col = DynamicCustomOp.builder("im2col")
                .addInputs(contiguous(large))
                .addOutputs(columns)
                .addIntegerArguments(kernel, kernel, stride, stride, padding, padding, 1, 1, 0)
                .build();
        Nd4j.exec(im2col);
        target.addi(Nd4j.tensorMmul(contiguous(small).reshape(batch, small.size(1), positions),
                columns.reshape(batch, large.size(1) * kernel * kernel, positions), new int[][] {{0, 2}, {0, 2}})
                .reshape(small.size(1), large.size(1), kernel, kernel));
    }

    @Override
    public INDArray convolve(INDArray x, INDArray weights, INDArray bias, INDArray out) {
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder("conv2d");
        if (bias == null) {
            b.addInputs(contiguous(x), contiguous(weights));
        } else {
            b.addInputs(contiguous(x), contiguous(weights), contiguous(bias));
        }
        // kH, kW, sH, sW, pH, pW, dH, dW, same-mode 0, data format 0 = NCHW, weight format 1
        Nd4j.exec(b.addOutputs(out)
                .addIntegerArguments(kernel, kernel, stride, stride, padding, padding, 1, 1, 0, 0, 1)
                .build());
        return out;
    }

    /** libnd4j's kernels read buffers as dense c-order; views with other strides are copied first. */
    static INDArray contiguous(INDArray a) {
        return a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    }
}
