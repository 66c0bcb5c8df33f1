package wgangp.model.fused;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import wgangp.model.Activation;
import wgangp.model.GeneratorPass;
import wgangp.model.NativeArrays;
import wgangp.model.ParameterLayout;
import wgangp.model.ReplicaGroup;
import wgangp.model.kernels.Blas;
import wgangp.model.kernels.HostMemory;
import wgangp.model.layers.LayerNetwork;

/**
 * {@link GeneratorPass} of an MLP generator on the host ({@link MlpShape}, read from its
 * {@link LayerNetwork}, which stays its one definition): row loops over the arrays' native float
 * buffers between sgemm calls straight into oneDNN ({@link Blas}), so it runs on ND4J's CPU
 * backend only. Training-mode forward passes and the backward pass, on float buffers
 * sized for {@code groups} batches stacked row-wise. BatchNorm normalizes each batch with its own
 * mean and biased variance and updates the running statistics batch after batch, exactly as that
 * many PyTorch {@code train()} forwards would; stacking only makes the gemms taller. The backward
 * pass needs a single batch.
 */
public final class FusedGeneratorPass implements GeneratorPass {
    private final MlpShape spec;
    private final int batch;
    private final int groups;
    private final int rows;
    private final int blocks;
    private final int[] widths;
    private final float slope;
    private final RowLoops kernels;
    private final INDArray z;
    private final INDArray[] linear;
    private final INDArray[] act;
    private final INDArray[] upstream;
    private final INDArray[] mask;
    private final INDArray[] normalized;
    private final INDArray images;
    private final INDArray gradient;
    private final Blas.Matrix[] weights;
    private final Blas.Matrix[] weightGrads;
    private final Blas.Matrix zMatrix;
    private final Blas.Matrix[] linearMatrix;
    private final Blas.Matrix[] actMatrix;
    private final Blas.Matrix[] upstreamMatrix;
    private final FloatBuffer[] linearBuf;
    private final FloatBuffer[] normalizedBuf;
    private final FloatBuffer[] actBuf;
    private final FloatBuffer[] maskBuf;
    private final FloatBuffer[] upstreamBuf;
    private final FloatBuffer paramsBuf;
    private final FloatBuffer statsBuf;
    private final FloatBuffer gradientBuf;
    private final int[] biasOffsets;
    private final int[] gammaOffsets;
    private final int[] betaOffsets;
    private final int[] statsOffsets;
    private final float[][] invStd;
    // heap scratch, one row wide: loops over plain arrays vectorise, loops over native buffers do not
    private final float[] rowIn;
    private final float[] rowXHat;
    private final float[] rowAct;
    private final float[] rowMask;
    private final float[] meanScratch;
    private final float[] varianceScratch;
    private final float[] deltaSums;
    private final ReplicaGroup batchNormGroup;
    private final float[] gammaScratch;
    private final float[] betaScratch;

    /**
     * @param batchNormGroup the replicas whose batches BatchNorm normalizes together: each batch of
     *                       this pass is one replica's slice of a batch {@code batchNormGroup.size()}
     *                       times larger ({@link ReplicaGroup#SINGLE}: its own batch alone)
     */
    public FusedGeneratorPass(LayerNetwork generator, INDArray params, INDArray statistics, int batch, int groups,
                              ReplicaGroup batchNormGroup) {
        HostMemory.requireCpuBackend();
        this.batchNormGroup = batchNormGroup;
        if (params.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("the training pass runs in float32, got " + params.dataType());
        }
        if (batch < 2) {
            throw new IllegalArgumentException("BatchNorm needs at least 2 rows per batch, got " + batch);
        }
        this.spec = MlpShape.of(generator).filter(MlpShape::tanhOutput).orElseThrow(
                () -> new IllegalArgumentException("the fused generator pass takes an MLP generator ending in tanh"));
        this.batch = batch;
        this.groups = groups;
        this.rows = batch * groups;
        if (groups < 1) {
            throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        }
        this.blocks = spec.blocks();
        this.slope = spec.slope();
        widths = spec.widths();
        z = Nd4j.create(DataType.FLOAT, rows, widths[0]);
        linear = new INDArray[blocks + 1];
        act = new INDArray[blocks];
        upstream = new INDArray[blocks];
        mask = new INDArray[blocks];
        normalized = new INDArray[blocks];
        linearBuf = new FloatBuffer[blocks + 1];
        normalizedBuf = new FloatBuffer[blocks];
        actBuf = new FloatBuffer[blocks];
        maskBuf = new FloatBuffer[blocks];
        upstreamBuf = new FloatBuffer[blocks];
        invStd = new float[blocks][];
        int widest = 0;
        for (int k = 0; k <= blocks; k++) {
            int width = widths[k + 1];
            widest = Math.max(widest, width);
            linear[k] = Nd4j.create(DataType.FLOAT, rows, width);
            linearBuf[k] = HostMemory.whole(linear[k]);
            if (k < blocks) {
                act[k] = Nd4j.create(DataType.FLOAT, rows, width);
                upstream[k] = Nd4j.create(DataType.FLOAT, rows, width);
                actBuf[k] = HostMemory.whole(act[k]);
                upstreamBuf[k] = HostMemory.whole(upstream[k]);
                mask[k] = Nd4j.create(DataType.FLOAT, rows, width);
                maskBuf[k] = HostMemory.whole(mask[k]);
                if (spec.hasBatchNorm(k)) {
                    normalized[k] = Nd4j.create(DataType.FLOAT, rows, width);
                    normalizedBuf[k] = HostMemory.whole(normalized[k]);
                    invStd[k] = new float[width];
                }
            }
        }
        images = linear[blocks];
        kernels = new RowLoops(java.util.Arrays.stream(widths).max().orElseThrow());
        rowIn = new float[widest];
        rowXHat = new float[widest];
        rowAct = new float[widest];
        rowMask = new float[widest];
        meanScratch = new float[groups * widest];
        varianceScratch = new float[groups * widest];
        deltaSums = new float[2 * widest];
        gammaScratch = new float[widest];
        betaScratch = new float[widest];

        gradient = Nd4j.create(DataType.FLOAT, params.length());
        gradientBuf = HostMemory.whole(gradient);
        paramsBuf = HostMemory.whole(params);
        statsBuf = HostMemory.whole(statistics);
        weights = new Blas.Matrix[blocks + 1];
        weightGrads = new Blas.Matrix[blocks + 1];
        zMatrix = Blas.of(z);
        linearMatrix = new Blas.Matrix[blocks + 1];
        actMatrix = new Blas.Matrix[blocks];
        upstreamMatrix = new Blas.Matrix[blocks];
        for (int k = 0; k <= blocks; k++) {
            linearMatrix[k] = Blas.of(linear[k]);
            if (k < blocks) {
                actMatrix[k] = Blas.of(act[k]);
                upstreamMatrix[k] = Blas.of(upstream[k]);
            }
        }
        biasOffsets = new int[blocks + 1];
        gammaOffsets = new int[blocks];
        betaOffsets = new int[blocks];
        statsOffsets = new int[blocks];
        ParameterLayout layout = generator.layout();
        int stats = 0;
        for (int k = 0; k <= blocks; k++) {
            long weightOffset = layout.tensor(spec.weightName(k)).offset();
            weights[k] = Blas.at(params, weightOffset, widths[k], widths[k + 1]);
            weightGrads[k] = Blas.at(gradient, weightOffset, widths[k], widths[k + 1]);
            biasOffsets[k] = (int) layout.tensor(spec.biasName(k)).offset();
            if (spec.hasBatchNorm(k)) {
                gammaOffsets[k] = (int) layout.tensor(spec.norm(k).name() + ".weight").offset();
                betaOffsets[k] = (int) layout.tensor(spec.norm(k).name() + ".bias").offset();
                statsOffsets[k] = stats;
                stats += 2 * widths[k + 1];
            }
        }
    }

    /** Whether {@code generator} is an MLP this pass computes: one ending in tanh. */
    public static boolean fits(LayerNetwork generator) {
        return MlpShape.of(generator).filter(MlpShape::tanhOutput).isPresent();
    }

    /** The latent batch to fill before {@link #forward()}. */
    @Override
    public INDArray z() {
        return z;
    }

    /** G(z) after {@link #forward()}, [groups·B, outputSize]. */
    @Override
    public INDArray images() {
        return images;
    }

    /** The flat gradient written by {@link #backward}, in the generator's parameter layout. */
    @Override
    public INDArray gradient() {
        return gradient;
    }

    /** Frees the native buffers now rather than whenever the garbage collector gets to them. */
    @Override
    public void close() {
        NativeArrays.close(z, gradient);
        NativeArrays.close(linear);
        NativeArrays.close(act);
        NativeArrays.close(upstream);
        NativeArrays.close(mask);
        NativeArrays.close(normalized);
    }

    /** G(z) in training mode; updates BatchNorm running statistics. */
    @Override
    public INDArray forward() {
        Blas.Matrix in = zMatrix;
        for (int k = 0; k < blocks; k++) {
            Blas.gemm(in, false, weights[k], false, linearMatrix[k], false);
            if (spec.hasBatchNorm(k)) {
                kernels.biasActivate(linearBuf[k], widths[k + 1], 0, rows, paramsBuf, biasOffsets[k], null, null, slope);
                batchNorm(k);
            } else {
                kernels.biasActivate(linearBuf[k], widths[k + 1], 0, rows, paramsBuf, biasOffsets[k],
                        actBuf[k], maskBuf[k], slope);
            }
            in = actMatrix[k];
        }
        Blas.gemm(in, false, weights[blocks], false, linearMatrix[blocks], false);
        kernels.biasActivate(linearBuf[blocks], widths[blocks + 1], 0, rows, paramsBuf, biasOffsets[blocks],
                null, null, slope);
        Transforms.tanh(images, false);
        return images;
    }

    /**
     * x̂ = (h − mean)/√(var + eps) with batch statistics, y = γx̂ + β, then the activation; the running
     * mean and (unbiased) variance move by the momentum, as in PyTorch, batch after batch. The
     * statistics are those of the batches across {@link #batchNormGroup}: every group's sums go to
     * the replicas in one call for the means, one for the variances.
     */
    private void batchNorm(int k) {
        int width = widths[k + 1];
        int all = groups * width;
        FloatBuffer h = linearBuf[k];
        float[] x = rowIn;
        float[] mean = meanScratch;
        float[] variance = varianceScratch;
        java.util.Arrays.fill(mean, 0, all, 0f);
        java.util.Arrays.fill(variance, 0, all, 0f);
        int n = batch * batchNormGroup.size();
        // row at a time with one index per loop, so that each loop vectorises
        for (int group = 0; group < groups; group++) {
            int offset = group * batch * width;
            int at = group * width;
            for (int r = 0; r < batch; r++) {
                h.get(offset + r * width, x, 0, width);
                for (int j = 0; j < width; j++) {
                    mean[at + j] += x[j];
                }
            }
        }
        batchNormGroup.sum(mean, 0, all);
        for (int i = 0; i < all; i++) {
            mean[i] /= n;
        }
        for (int group = 0; group < groups; group++) {
            int offset = group * batch * width;
            int at = group * width;
            for (int r = 0; r < batch; r++) {
                h.get(offset + r * width, x, 0, width);
                for (int j = 0; j < width; j++) {
                    float d = x[j] - mean[at + j];
                    variance[at + j] += d * d;
                }
            }
        }
        batchNormGroup.sum(variance, 0, all);
        for (int group = 0; group < groups; group++) {
            normalize(k, group * batch * width, mean, variance, group * width, n);
        }
    }

    /** One batch of BatchNorm from its statistics at {@code at} of {@code mean} and {@code variance}. */
    private void normalize(int k, int offset, float[] mean, float[] variance, int at, int n) {
        int width = widths[k + 1];
        FloatBuffer h = linearBuf[k];
        float[] x = rowIn;
        double momentum = spec.norm(k).momentum();
        int runningMean = statsOffsets[k];
        int runningVar = runningMean + width;
        float[] inv = invStd[k];
        float[] gamma = gammaScratch;
        float[] beta = betaScratch;
        paramsBuf.get(gammaOffsets[k], gamma, 0, width);
        paramsBuf.get(betaOffsets[k], beta, 0, width);
        for (int j = 0; j < width; j++) {
            double batchVariance = variance[at + j] / n;
            inv[j] = (float) (1.0 / Math.sqrt(batchVariance + spec.norm(k).eps()));
            statsBuf.put(runningMean + j, (float) ((1 - momentum) * statsBuf.get(runningMean + j)
                    + momentum * mean[at + j]));
            statsBuf.put(runningVar + j, (float) ((1 - momentum) * statsBuf.get(runningVar + j)
                    + momentum * batchVariance * n / (n - 1.0)));
        }
        float[] xHat = rowXHat;
        float[] a = rowAct;
        float[] m = rowMask;
        for (int r = 0; r < batch; r++) {
            int row = offset + r * width;
            h.get(row, x, 0, width);
            for (int j = 0; j < width; j++) {
                float v = (x[j] - mean[at + j]) * inv[j];
                xHat[j] = v;
                float y = gamma[j] * v + beta[j];
                float mask = Activation.leakyMask(y, slope);
                m[j] = mask;
                a[j] = y * mask;
            }
            normalizedBuf[k].put(row, xHat, 0, width);
            maskBuf[k].put(row, m, 0, width);
            actBuf[k].put(row, a, 0, width);
        }
    }

    /**
     * Back-propagates ∂L/∂images through tanh, the dense layers and BatchNorm (batch statistics
     * included) into {@link #gradient()}. Overwrites {@code imageGradient}, a whole [B, out] float array.
     */
    @Override
    public void backward(INDArray imageGradient) {
        if (groups != 1) {
            throw new IllegalStateException("the backward pass takes a single batch; this pass stacks " + groups);
        }
        FloatBuffer delta = HostMemory.whole(imageGradient);
        FloatBuffer y = linearBuf[blocks];
        for (int i = 0; i < batch * widths[blocks + 1]; i++) {
            float yi = y.get(i);
            delta.put(i, delta.get(i) * (1 - yi * yi));
        }
        Blas.Matrix deltaMatrix = Blas.of(imageGradient);
        linearBackward(blocks, actMatrix[blocks - 1], deltaMatrix, delta);
        Blas.gemm(deltaMatrix, false, weights[blocks], true, upstreamMatrix[blocks - 1], false);
        for (int k = blocks - 1; k >= 0; k--) {
            kernels.multiply(upstreamBuf[k], maskBuf[k], widths[k + 1], 0, batch);
            if (spec.hasBatchNorm(k)) {
                batchNormBackward(k);
            }
            linearBackward(k, k == 0 ? zMatrix : actMatrix[k - 1], upstreamMatrix[k], upstreamBuf[k]);
            if (k > 0) {
                Blas.gemm(upstreamMatrix[k], false, weights[k], true, upstreamMatrix[k - 1], false);
            }
        }
    }

    private void linearBackward(int k, Blas.Matrix input, Blas.Matrix delta, FloatBuffer deltaBuf) {
        Blas.gemm(input, true, delta, false, weightGrads[k], false);
        // a bias feeding BatchNorm is cancelled by the batch mean: its gradient is exactly zero, left at 0
        if (!feedsBatchNorm(k)) {
            kernels.columnSums(deltaBuf, widths[k + 1], 0, batch, gradientBuf, biasOffsets[k]);
        }
    }

    private boolean feedsBatchNorm(int k) {
        return spec.hasBatchNorm(k);
    }

    /**
     * In place on upstream[k]: dy → ∂L/∂h = γ·σ⁻¹·(dy − mean(dy) − x̂·mean(dy⊙x̂)), with ∂L/∂γ = Σ(dy⊙x̂)
     * and ∂L/∂β = Σdy written to the gradient. The gradient gets this replica's sums (the replicas'
     * gradients are added later); the means are over the whole batch of {@link #batchNormGroup}.
     */
    private void batchNormBackward(int k) {
        int width = widths[k + 1];
        FloatBuffer dyBuf = upstreamBuf[k];
        FloatBuffer xHatBuf = normalizedBuf[k];
        float[] dy = rowIn;
        float[] xHat = rowXHat;
        float[] sumDy = meanScratch;
        float[] sumDyXHat = varianceScratch;
        java.util.Arrays.fill(sumDy, 0, width, 0f);
        java.util.Arrays.fill(sumDyXHat, 0, width, 0f);
        int n = batch * batchNormGroup.size();
        for (int r = 0; r < batch; r++) {
            dyBuf.get(r * width, dy, 0, width);
            xHatBuf.get(r * width, xHat, 0, width);
            for (int j = 0; j < width; j++) {
                sumDy[j] += dy[j];
                sumDyXHat[j] += dy[j] * xHat[j];
            }
        }
        float[] gamma = gammaScratch;
        float[] scale = betaScratch;
        paramsBuf.get(gammaOffsets[k], gamma, 0, width);
        gradientBuf.put(gammaOffsets[k], sumDyXHat, 0, width);
        gradientBuf.put(betaOffsets[k], sumDy, 0, width);
        if (batchNormGroup.size() > 1) {
            System.arraycopy(sumDy, 0, deltaSums, 0, width);
            System.arraycopy(sumDyXHat, 0, deltaSums, width, width);
            batchNormGroup.sum(deltaSums, 0, 2 * width);
            System.arraycopy(deltaSums, 0, sumDy, 0, width);
            System.arraycopy(deltaSums, width, sumDyXHat, 0, width);
        }
        for (int j = 0; j < width; j++) {
            scale[j] = gamma[j] * invStd[k][j];
            sumDy[j] /= n;
            sumDyXHat[j] /= n;
        }
        for (int r = 0; r < batch; r++) {
            dyBuf.get(r * width, dy, 0, width);
            xHatBuf.get(r * width, xHat, 0, width);
            for (int j = 0; j < width; j++) {
                dy[j] = scale[j] * (dy[j] - sumDy[j] - xHat[j] * sumDyXHat[j]);
            }
            dyBuf.put(r * width, dy, 0, width);
        }
    }
}
