package wgangp.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link GeneratorPass} in ND4J ops only, so it runs on whatever backend ND4J loaded and on CUDA
 * never leaves the GPU. The same passes as {@link HostGeneratorPass}: dense layers, BatchNorm with
 * each stacked batch's own statistics (running mean and unbiased variance moved by the momentum,
 * batch after batch, as in PyTorch), LeakyReLU, tanh out; the backward pass through BatchNorm's
 * batch statistics included.
 */
final class DeviceGeneratorPass implements GeneratorPass {
    private final Generator g;
    private final GeneratorSpec spec;
    private final int batch;
    private final int groups;
    private final int blocks;
    private final double slope;
    private final INDArray z;
    private final INDArray images;
    private final INDArray gradient;
    private final INDArray[] linear;
    private final INDArray[] act;
    private final INDArray[] mask;
    private final INDArray[] upstream;
    private final INDArray[] normalized;
    private final INDArray[] invStd;
    private final INDArray[] weightGrads;
    private final INDArray[] biasGrads;
    private final INDArray[] gammaGrads;
    private final INDArray[] betaGrads;
    // [block][group]: the rows of one stacked batch, made once
    private final INDArray[][] linearRows;
    private final INDArray[][] normalizedRows;
    private final INDArray[][] actRows;
    private final INDArray[][] maskRows;

    DeviceGeneratorPass(Generator g, int batch, int groups) {
        if (g.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("the training pass runs in float32, got " + g.dataType());
        }
        if (batch < 2) {
            throw new IllegalArgumentException("BatchNorm needs at least 2 rows per batch, got " + batch);
        }
        if (groups < 1) {
            throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        }
        this.g = g;
        this.spec = g.spec();
        this.batch = batch;
        this.groups = groups;
        this.blocks = g.blocks();
        this.slope = spec.leakySlope();
        long rows = (long) batch * groups;
        z = Nd4j.create(DataType.FLOAT, rows, spec.latentSize());
        gradient = Nd4j.create(DataType.FLOAT, g.params().length());
        linear = new INDArray[blocks + 1];
        act = new INDArray[blocks];
        mask = new INDArray[blocks];
        upstream = new INDArray[blocks];
        normalized = new INDArray[blocks];
        invStd = new INDArray[blocks];
        weightGrads = new INDArray[blocks + 1];
        biasGrads = new INDArray[blocks + 1];
        gammaGrads = new INDArray[blocks];
        betaGrads = new INDArray[blocks];
        linearRows = new INDArray[blocks][];
        normalizedRows = new INDArray[blocks][];
        actRows = new INDArray[blocks][];
        maskRows = new INDArray[blocks][];
        ParameterLayout layout = g.layout();
        for (int k = 0; k <= blocks; k++) {
            int index = Generator.linearIndex(spec, k);
            weightGrads[k] = layout.view(gradient, "model." + index + ".weight");
            biasGrads[k] = layout.view(gradient, "model." + index + ".bias");
            int width = k < blocks ? spec.hidden().get(k) : spec.outputSize();
            linear[k] = Nd4j.create(DataType.FLOAT, rows, width);
            if (k == blocks) {
                break;
            }
            act[k] = Nd4j.create(DataType.FLOAT, rows, width);
            mask[k] = Nd4j.create(DataType.FLOAT, rows, width);
            upstream[k] = Nd4j.create(DataType.FLOAT, rows, width);
            if (spec.hasBatchNorm(k)) {
                normalized[k] = Nd4j.create(DataType.FLOAT, rows, width);
                invStd[k] = Nd4j.create(DataType.FLOAT, width);
                gammaGrads[k] = layout.view(gradient, "model." + (index + 1) + ".weight");
                betaGrads[k] = layout.view(gradient, "model." + (index + 1) + ".bias");
                linearRows[k] = groupRows(linear[k]);
                normalizedRows[k] = groupRows(normalized[k]);
                actRows[k] = groupRows(act[k]);
                maskRows[k] = groupRows(mask[k]);
            }
        }
        images = linear[blocks];
    }

    private INDArray[] groupRows(INDArray whole) {
        INDArray[] out = new INDArray[groups];
        for (int group = 0; group < groups; group++) {
            out[group] = Rows.range(whole, (long) group * batch, (long) (group + 1) * batch);
        }
        return out;
    }

    @Override
    public INDArray z() {
        return z;
    }

    @Override
    public INDArray images() {
        return images;
    }

    @Override
    public INDArray gradient() {
        return gradient;
    }

    @Override
    public void close() {
        NativeArrays.close(z, gradient);
        NativeArrays.close(linear);
        NativeArrays.close(act);
        NativeArrays.close(mask);
        NativeArrays.close(upstream);
        NativeArrays.close(normalized);
        NativeArrays.close(invStd);
    }

    @Override
    public INDArray forward() {
        INDArray in = z;
        for (int k = 0; k < blocks; k++) {
            Nd4j.gemm(in, g.weight(k), linear[k], false, false, 1.0, 0.0);
            linear[k].addiRowVector(g.bias(k));
            if (spec.hasBatchNorm(k)) {
                for (int group = 0; group < groups; group++) {
                    batchNorm(k, group);
                }
            } else {
                activate(linear[k], mask[k], act[k]);
            }
            in = act[k];
        }
        Nd4j.gemm(in, g.weight(blocks), images, false, false, 1.0, 0.0);
        images.addiRowVector(g.bias(blocks));
        Transforms.tanh(images, false);
        return images;
    }

    /**
     * x̂ = (h − mean)/√(var + eps) with the batch's statistics, y = γx̂ + β, then the activation; the
     * running mean and (unbiased) variance move by the momentum, as in PyTorch.
     */
    private void batchNorm(int k, int group) {
        INDArray h = linearRows[k][group];
        INDArray mean = h.mean(0);
        INDArray variance = h.var(false, 0);
        double momentum = spec.batchNormMomentum();
        g.runningMean(k).muli(1 - momentum).addi(mean.mul(momentum));
        g.runningVar(k).muli(1 - momentum).addi(variance.mul(momentum * batch / (batch - 1.0)));
        invStd[k].assign(Transforms.pow(variance.addi(spec.batchNormEps()), -0.5, false));
        INDArray xHat = normalizedRows[k][group];
        xHat.assign(h).subiRowVector(mean).muliRowVector(invStd[k]);
        INDArray y = actRows[k][group];
        y.assign(xHat).muliRowVector(g.gamma(k)).addiRowVector(g.beta(k));
        INDArray m = maskRows[k][group];
        Nd4j.exec(new LeakyReLUDerivative(y, m, slope));
        y.muli(m);
        NativeArrays.close(mean, variance);
    }

    /** m = leaky'(h), a = m ⊙ h. */
    private void activate(INDArray h, INDArray m, INDArray a) {
        Nd4j.exec(new LeakyReLUDerivative(h, m, slope));
        h.mul(m, a);
    }

    @Override
    public void backward(INDArray imageGradient) {
        if (groups != 1) {
            throw new IllegalStateException("the backward pass takes a single batch; this pass stacks " + groups);
        }
        INDArray delta = imageGradient;
        delta.muli(images.mul(images).rsubi(1.0)); // tanh' = 1 − y²
        linearBackward(blocks, act[blocks - 1], delta);
        Nd4j.gemm(delta, g.weight(blocks), upstream[blocks - 1], false, true, 1.0, 0.0);
        for (int k = blocks - 1; k >= 0; k--) {
            upstream[k].muli(mask[k]);
            if (spec.hasBatchNorm(k)) {
                batchNormBackward(k);
            }
            linearBackward(k, k == 0 ? z : act[k - 1], upstream[k]);
            if (k > 0) {
                Nd4j.gemm(upstream[k], g.weight(k), upstream[k - 1], false, true, 1.0, 0.0);
            }
        }
    }

    private void linearBackward(int k, INDArray input, INDArray delta) {
        Nd4j.gemm(input, delta, weightGrads[k], true, false, 1.0, 0.0);
        // a bias feeding BatchNorm is cancelled by the batch mean: its gradient is exactly zero, left at 0
        if (k == blocks || !spec.hasBatchNorm(k)) {
            delta.sum(biasGrads[k], 0);
        }
    }

    /**
     * In place on upstream[k]: dy → ∂L/∂h = γ·σ⁻¹·(dy − mean(dy) − x̂·mean(dy⊙x̂)), with ∂L/∂γ = Σ(dy⊙x̂)
     * and ∂L/∂β = Σdy written to the gradient.
     */
    private void batchNormBackward(int k) {
        INDArray dy = upstream[k];
        INDArray xHat = normalized[k];
        dy.sum(betaGrads[k], 0);
        INDArray dyXHat = dy.mul(xHat);
        dyXHat.sum(gammaGrads[k], 0);
        INDArray meanDy = betaGrads[k].div(batch);
        INDArray meanDyXHat = gammaGrads[k].div(batch);
        INDArray scale = g.gamma(k).mul(invStd[k]);
        dyXHat.assign(xHat).muliRowVector(meanDyXHat);
        dy.subiRowVector(meanDy).subi(dyXHat).muliRowVector(scale);
        NativeArrays.close(dyXHat, meanDy, meanDyXHat, scale);
    }
}
