package wgangp.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link CriticObjective} in ND4J ops only (gemm, broadcast, transforms, reductions), so it runs on
 * whatever backend ND4J loaded and on CUDA never leaves the GPU. The algorithm is
 * {@link HostCriticObjective}'s: one forward over the stacked rows [real; fake; x̂] with the first
 * layer's x̂ rows by linearity, one backward with output errors −1/B, +1/B and 1 (the adjoint of
 * {@link GradientPenalty}), the tangent written over the x̂ rows, and one weight-gradient gemm per
 * layer for the Wasserstein and penalty terms together. Masks are LeakyReLU derivatives, which take
 * 1 at exactly 0 where the host kernels take the slope: a difference only on a set of measure zero.
 */
final class DeviceCriticObjective implements CriticObjective {
    private final GradientPenalty penalty;
    private final int batch;
    private final int layers;
    private final double slope;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final INDArray[] weightGrads;
    private final INDArray[] biasGrads;
    private final INDArray input;
    private final INDArray gradient;
    private final INDArray[] pre;
    private final INDArray[] act;
    private final INDArray[] mask;
    private final INDArray[] err;
    // row views made once: [0, B) real, [B, 2B) fake, [2B, 3B) x̂; the generator loss uses the first B rows
    private final INDArray realRows;
    private final INDArray fakeRows;
    private final INDArray inputRealFake;
    private final INDArray inputInterpolated;
    private final INDArray firstRealFake;
    private final INDArray firstReal;
    private final INDArray firstFake;
    private final INDArray firstInterpolated;
    private final INDArray[] preFirst;
    private final INDArray[] actFirst;
    private final INDArray[] maskFirst;
    private final INDArray[] errFirst;
    private final INDArray[] errRealFake;
    private final INDArray[] errInterpolated;
    private final INDArray[] actInterpolated;
    private final INDArray[] maskInterpolated;
    // per-sample loss terms D(real), D(fake), (‖g‖ − 1)² as columns, so one reduction and one copy to the host give all three
    private final INDArray lossTerms;
    private final INDArray[] lossColumns;
    private final INDArray lossMeans;

    DeviceCriticObjective(Critic critic, int batch, double lambdaGp) {
        if (critic.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("the training objective runs in float32, got " + critic.dataType());
        }
        this.penalty = new GradientPenalty(lambdaGp);
        this.batch = batch;
        this.layers = critic.layers();
        this.slope = critic.spec().negativeSlope();
        int[] widths = critic.spec().widths();
        int rows = 3 * batch;
        ParameterLayout layout = critic.layout();
        gradient = Nd4j.create(DataType.FLOAT, critic.params().length());
        weights = new INDArray[layers];
        biases = new INDArray[layers];
        weightGrads = new INDArray[layers];
        biasGrads = new INDArray[layers];
        pre = new INDArray[layers];
        err = new INDArray[layers];
        act = new INDArray[layers - 1];
        mask = new INDArray[layers - 1];
        preFirst = new INDArray[layers];
        errFirst = new INDArray[layers];
        errRealFake = new INDArray[layers];
        errInterpolated = new INDArray[layers];
        actFirst = new INDArray[layers - 1];
        maskFirst = new INDArray[layers - 1];
        actInterpolated = new INDArray[layers - 1];
        maskInterpolated = new INDArray[layers - 1];
        for (int l = 0; l < layers; l++) {
            weights[l] = critic.weight(l);
            biases[l] = critic.bias(l);
            weightGrads[l] = layout.view(gradient, Critic.weightName(l));
            biasGrads[l] = layout.view(gradient, Critic.biasName(l));
            pre[l] = Nd4j.create(DataType.FLOAT, rows, widths[l + 1]);
            err[l] = Nd4j.create(DataType.FLOAT, rows, widths[l + 1]);
            preFirst[l] = Rows.range(pre[l], 0, batch);
            errFirst[l] = Rows.range(err[l], 0, batch);
            errRealFake[l] = Rows.range(err[l], 0, 2L * batch);
            errInterpolated[l] = Rows.range(err[l], 2L * batch, rows);
            if (l + 1 < layers) {
                act[l] = Nd4j.create(DataType.FLOAT, rows, widths[l + 1]);
                mask[l] = Nd4j.create(DataType.FLOAT, rows, widths[l + 1]);
                actFirst[l] = Rows.range(act[l], 0, batch);
                maskFirst[l] = Rows.range(mask[l], 0, batch);
                actInterpolated[l] = Rows.range(act[l], 2L * batch, rows);
                maskInterpolated[l] = Rows.range(mask[l], 2L * batch, rows);
            }
        }
        input = Nd4j.create(DataType.FLOAT, rows, widths[0]);
        realRows = Rows.range(input, 0, batch);
        fakeRows = Rows.range(input, batch, 2L * batch);
        inputRealFake = Rows.range(input, 0, 2L * batch);
        inputInterpolated = Rows.range(input, 2L * batch, rows);
        firstRealFake = Rows.range(pre[0], 0, 2L * batch);
        firstReal = Rows.range(pre[0], 0, batch);
        firstFake = Rows.range(pre[0], batch, 2L * batch);
        firstInterpolated = Rows.range(pre[0], 2L * batch, rows);
        // The output errors never change (the generator loss seeds its B rows with the same −1/B), so
        // they are written once: −1/B on real rows, +1/B on fake rows, 1 (the adjoint's seed) on x̂ rows.
        int last = layers - 1;
        Rows.range(err[last], 0, batch).assign(-1f / batch);
        Rows.range(err[last], batch, 2L * batch).assign(1f / batch);
        errInterpolated[last].assign(1f);
        lossTerms = Nd4j.create(DataType.FLOAT, batch, 3);
        lossColumns = new INDArray[3];
        for (int j = 0; j < 3; j++) {
            lossColumns[j] = lossTerms.getColumn(j, true);
        }
        lossMeans = Nd4j.create(DataType.FLOAT, 3);
    }

    @Override
    public INDArray realRows() {
        return realRows;
    }

    @Override
    public INDArray fakeRows() {
        return fakeRows;
    }

    @Override
    public INDArray gradient() {
        return gradient;
    }

    @Override
    public void close() {
        NativeArrays.close(input, gradient, lossTerms, lossMeans);
        NativeArrays.close(pre);
        NativeArrays.close(act);
        NativeArrays.close(mask);
        NativeArrays.close(err);
    }

    @Override
    public CriticLoss criticLossGradient(INDArray epsilon) {
        int last = layers - 1;
        // forward: first layer on real and fake rows, x̂ rows by linearity (biases cancel)
        Nd4j.gemm(inputRealFake, weights[0], firstRealFake, false, false, 1.0, 0.0);
        firstRealFake.addiRowVector(biases[0]);
        firstReal.sub(firstFake, firstInterpolated).muliColumnVector(epsilon).addi(firstFake);
        if (last > 0) {
            activate(pre[0], mask[0], act[0]);
        }
        for (int l = 1; l <= last; l++) {
            forwardLayer(l, act[l - 1], pre[l], l < last ? mask[l] : null, l < last ? act[l] : null);
        }
        INDArray scores = pre[last];
        lossColumns[0].assign(Rows.range(scores, 0, batch));
        lossColumns[1].assign(Rows.range(scores, batch, 2L * batch));

        // backward: Wasserstein errors on real/fake rows, the penalty's adjoint (ones) on x̂ rows
        backpropErrors(err, mask);
        Nd4j.gemm(errInterpolated[0], weights[0], inputInterpolated, false, true, 1.0, 0.0);

        // penalty and its tangent: t_0 = v in the x̂ rows of the input, t_l in the x̂ rows of act[l]
        lossColumns[2].assign(penalty.seedTangentWithOps(inputInterpolated));
        INDArray tangent = inputInterpolated;
        for (int l = 0; l < last; l++) {
            Nd4j.gemm(tangent, weights[l], actInterpolated[l], false, false, 1.0, 0.0);
            actInterpolated[l].muli(maskInterpolated[l]);
            tangent = actInterpolated[l];
        }

        // layer inputs are now [real; fake; tangent] and errors [W-term; W-term; adjoint]
        for (int l = 0; l <= last; l++) {
            Nd4j.gemm(l == 0 ? input : act[l - 1], err[l], weightGrads[l], true, false, 1.0, 0.0);
            errRealFake[l].sum(biasGrads[l], 0);
        }
        lossTerms.mean(lossMeans, 0);
        double[] means = lossMeans.toDoubleVector();
        double wassersteinTerm = means[1] - means[0];
        double gp = means[2];
        return new CriticLoss(wassersteinTerm + penalty.lambdaGp() * gp, wassersteinTerm, gp);
    }

    @Override
    public double generatorLossGradient(INDArray images, INDArray imageGradient) {
        int last = layers - 1;
        realRows.assign(images); // this objective runs on the first B rows of every buffer
        for (int l = 0; l <= last; l++) {
            forwardLayer(l, l == 0 ? realRows : actFirst[l - 1], preFirst[l], l < last ? maskFirst[l] : null,
                    l < last ? actFirst[l] : null);
        }
        double meanFake = preFirst[last].meanNumber().doubleValue();
        backpropErrors(errFirst, maskFirst);
        Nd4j.gemm(errFirst[0], weights[0], imageGradient, false, true, 1.0, 0.0);
        return -meanFake;
    }

    /** h = a W_l + b_l, then, on hidden layers, the mask and the activation. */
    private void forwardLayer(int l, INDArray in, INDArray h, INDArray m, INDArray a) {
        Nd4j.gemm(in, weights[l], h, false, false, 1.0, 0.0);
        h.addiRowVector(biases[l]);
        if (m != null) {
            activate(h, m, a);
        }
    }

    /** m = leaky'(h), a = m ⊙ h. */
    private void activate(INDArray h, INDArray m, INDArray a) {
        Nd4j.exec(new LeakyReLUDerivative(h, m, slope));
        h.mul(m, a);
    }

    /** e[l-1] = (e[l] W_lᵀ) ⊙ m_{l-1}, from the output down to the first layer. */
    private void backpropErrors(INDArray[] e, INDArray[] m) {
        for (int l = layers - 1; l > 0; l--) {
            Nd4j.gemm(e[l], weights[l], e[l - 1], false, true, 1.0, 0.0);
            e[l - 1].muli(m[l - 1]);
        }
    }
}
