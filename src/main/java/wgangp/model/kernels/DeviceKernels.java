package wgangp.model.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link Kernels} in ND4J ops only, so they run on whatever backend ND4J loaded; on CUDA every array
 * stays in GPU memory. The convolutions:
 * <ul>
 *   <li>{@link #convolve}: {@code conv2d} with weights [out, in, k, k] (PyTorch's Conv2d layout,
 *       libnd4j weight format 1);</li>
 *   <li>{@link #transposedConvolve}: with weights [in, out, k, k] (PyTorch's ConvTranspose2d
 *       layout), one gemm into patches and {@code col2im};</li>
 *   <li>{@link #addKernelGradient}: {@code im2col} of the larger map, contracted with the smaller one
 *       over batch and positions in one gemm — the weight gradient of both kinds.</li>
 * </ul>
 * Measured at the dcgan critic's sizes (batch 192, 32 → 64 channels, 14×14 → 7×7), gemm plus
 * {@code col2im} takes about a quarter of libnd4j's {@code deconv2d} time, and contracting the
 * patches as rank-3 arrays about 60 % of contracting them as rank 6 (whose permuted copy dominates);
 * {@code conv2d} itself beats im2col plus gemm, so the forward uses it.
 */
public final class DeviceKernels implements Kernels {
    private static final int[] CHANNEL_REDUCED = {0, 2, 3};

    @Override
    public INDArray linear(INDArray input, INDArray weight, INDArray bias, boolean inOut) {
        INDArray out = input.mmul(forwardMatrix(weight, inOut));
        return bias == null ? out : out.addiRowVector(bias);
    }

    @Override
    public INDArray linearInputGradient(INDArray outputGradient, INDArray weight, boolean inOut) {
        return outputGradient.mmul(forwardMatrix(weight, inOut).transpose());
    }

    @Override
    public void addLinearWeightGradient(INDArray input, INDArray outputGradient, INDArray weightGradient,
                                        INDArray biasGradient, boolean inOut) {
        weightGradient.addi(inOut ? input.transpose().mmul(outputGradient) : outputGradient.transpose().mmul(input));
        if (biasGradient != null) {
            biasGradient.addi(outputGradient.sum(0));
        }
    }

    /** The [in, out] matrix a Linear forward multiplies by. */
    private static INDArray forwardMatrix(INDArray weight, boolean inOut) {
        return inOut ? weight : weight.transpose();
    }

    @Override
    public INDArray convolve(Convolution g, INDArray x, INDArray weights, INDArray bias, INDArray out) {
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder("conv2d");
        if (bias == null) {
            b.addInputs(contiguous(x), contiguous(weights));
        } else {
            b.addInputs(contiguous(x), contiguous(weights), contiguous(bias));
        }
        // kH, kW, sH, sW, pH, pW, dH, dW, same-mode 0, data format 0 = NCHW, weight format 1
        Nd4j.exec(b.addOutputs(out)
                .addIntegerArguments(g.kernel(), g.kernel(), g.stride(), g.stride(), g.padding(), g.padding(), 1, 1,
                        0, 0, 1)
                .build());
        return out;
    }

    /** Patches [B, out·k·k, H·W] = per sample Wᵀ·x_b, summed into place by col2im. */
    @Override
    public INDArray transposedConvolve(Convolution g, INDArray x, INDArray weights, INDArray bias, INDArray out) {
        int k = g.kernel();
        long batch = x.size(0);
        long in = weights.size(0);
        long channels = weights.size(1);
        INDArray patches = Nd4j.tensorMmul(contiguous(weights).reshape(in, channels * k * k),
                contiguous(x).reshape(batch, in, x.size(2) * x.size(3)), new int[][] {{0}, {1}});
        INDArray columns = patches.permute(1, 0, 2).dup('c').reshape(batch, channels, k, k, x.size(2), x.size(3));
        // sH, sW, pH, pW, image H, image W, dH, dW, same-mode 0
        Nd4j.exec(DynamicCustomOp.builder("col2im")
                .addInputs(columns)
                .addOutputs(out)
                .addIntegerArguments(g.stride(), g.stride(), g.padding(), g.padding(), (int) out.size(2),
                        (int) out.size(3), 1, 1, 0)
                .build());
        if (bias != null) {
            Broadcast.add(out, bias, out, 1);
        }
        return out;
    }

    @Override
    public void addKernelGradient(Convolution g, INDArray small, INDArray large, INDArray target) {
        int k = g.kernel();
        long batch = large.size(0);
        long positions = small.size(2) * small.size(3);
        INDArray columns = Nd4j.create(large.dataType(), batch, large.size(1), k, k, small.size(2), small.size(3));
        Nd4j.exec(DynamicCustomOp.builder("im2col")
                .addInputs(contiguous(large))
                .addOutputs(columns)
                .addIntegerArguments(k, k, g.stride(), g.stride(), g.padding(), g.padding(), 1, 1, 0)
                .build());
        target.addi(Nd4j.tensorMmul(contiguous(small).reshape(batch, small.size(1), positions),
                columns.reshape(batch, large.size(1) * k * k, positions), new int[][] {{0, 2}, {0, 2}})
                .reshape(small.size(1), large.size(1), k, k));
    }

    /** libnd4j's kernels read buffers as dense c-order; views with other strides are copied first. */
    private static INDArray contiguous(INDArray a) {
        return a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    }

    @Override
    public INDArray batchNorm(INDArray input, BatchNormTensors t, double momentum, double eps, boolean training) {
        INDArray mean;
        INDArray variance;
        if (training) {
            mean = input.mean(CHANNEL_REDUCED);
            variance = input.var(false, CHANNEL_REDUCED);
            long n = input.length() / input.size(1);
            t.runningMean().muli(1 - momentum).addi(mean.mul(momentum));
            t.runningVar().muli(1 - momentum).addi(variance.mul(momentum * n / (n - 1.0)));
        } else {
            mean = t.runningMean();
            variance = t.runningVar();
        }
        INDArray scale = inverseStd(variance, eps).muli(t.gamma());
        INDArray out = Broadcast.sub(input, mean, input.ulike(), 1);
        Broadcast.mul(out, scale, out, 1);
        return Broadcast.add(out, t.beta(), out, 1);
    }

    @Override
    public INDArray batchNormInputGradient(INDArray input, INDArray outputGradient, INDArray gamma, double eps) {
        INDArray invStd = inverseStd(input.var(false, CHANNEL_REDUCED), eps);
        INDArray normalized = normalized(input, invStd);
        INDArray meanDelta = outputGradient.mean(CHANNEL_REDUCED);
        INDArray meanDeltaNormalized = outputGradient.mul(normalized).mean(CHANNEL_REDUCED);
        INDArray gradient = Broadcast.mul(normalized, meanDeltaNormalized, normalized, 1);
        gradient.rsubi(outputGradient);
        Broadcast.sub(gradient, meanDelta, gradient, 1);
        return Broadcast.mul(gradient, invStd.muli(gamma), gradient, 1);
    }

    @Override
    public void addBatchNormWeightGradient(INDArray input, INDArray outputGradient, INDArray gammaGradient,
                                           INDArray betaGradient, double eps) {
        INDArray normalized = normalized(input, inverseStd(input.var(false, CHANNEL_REDUCED), eps));
        gammaGradient.addi(normalized.muli(outputGradient).sum(CHANNEL_REDUCED));
        if (betaGradient != null) {
            betaGradient.addi(outputGradient.sum(CHANNEL_REDUCED));
        }
    }

    private static INDArray inverseStd(INDArray variance, double eps) {
        return Transforms.pow(variance.add(eps), -0.5, false);
    }

    private static INDArray normalized(INDArray input, INDArray invStd) {
        INDArray out = Broadcast.sub(input, input.mean(CHANNEL_REDUCED), input.ulike(), 1);
        return Broadcast.mul(out, invStd, out, 1);
    }

    /** The forward is ND4J's scalar op; the mask times a gradient or tangent its backprop op, in one call. */
    @Override
    public INDArray leakyMasked(INDArray input, INDArray values, double slope) {
        INDArray out = values.ulike();
        if (values == input) {
            Nd4j.exec(new LeakyReLU(input, out, slope));
        } else {
            Nd4j.exec(new LeakyReLUBp(input, values, out, slope));
        }
        return out;
    }
}
