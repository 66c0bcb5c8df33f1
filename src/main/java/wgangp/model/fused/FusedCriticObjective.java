package wgangp.model.fused;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.CriticObjective;
import wgangp.model.GradientPenalty;
import wgangp.model.NativeArrays;
import wgangp.model.ParameterLayout;
import wgangp.model.kernels.Blas;
import wgangp.model.kernels.HostMemory;
import wgangp.model.layers.LayerNetwork;
import wgangp.model.layers.Shapes;

/**
 * {@link CriticObjective} of an MLP critic on the host ({@link MlpShape}, read from its
 * {@link LayerNetwork}, which stays its one definition): fused loops over the arrays' native float buffers between
 * sgemm calls straight into oneDNN ({@link Blas}), so it runs on ND4J's CPU backend only. The
 * critic's two objectives on preallocated float buffers:
 * <ul>
 *   <li>{@link #criticLossGradient}: L_D = mean D(fake) − mean D(real) + λ·GP with x̂ = εx + (1−ε)G(z),
 *       and its exact gradient with respect to every critic parameter;</li>
 *   <li>{@link #generatorLossGradient}: L_G = −mean D(G(z)) and its gradient with respect to the
 *       images only, which the generator back-propagates further (the critic's weights get none).</li>
 * </ul>
 * One forward pass covers the stacked rows [real; fake; x̂] (3B rows); the x̂ rows of the first layer
 * come from linearity, h_1(x̂) = ε·h_1(real) + (1−ε)·h_1(fake), the biases cancelling, so that layer's
 * largest gemm runs on 2B rows only. The backward pass seeds the output error with −1/B (real),
 * +1/B (fake) and 1 (x̂: the adjoint of {@link GradientPenalty}, step 1); the tangent pass (step 3)
 * then overwrites the x̂ rows of each layer's input with the tangent, so one gemm per layer gives
 * the Wasserstein and the penalty weight gradients together (step 4).
 */
public final class FusedCriticObjective implements CriticObjective {
    private final GradientPenalty penalty;
    private final int batch;
    private final int layers;
    private final int[] widths;
    private final float slope;
    private final RowLoops kernels;
    private final INDArray input;
    private final INDArray realRows;
    private final INDArray fakeRows;
    private final INDArray[] pre;
    private final INDArray[] act;
    private final INDArray[] err;
    private final INDArray[] mask;
    private final INDArray gradient;
    private final int[] biasOffsets;
    private final FloatBuffer inputBuf;
    private final FloatBuffer[] preBuf;
    private final FloatBuffer[] actBuf;
    private final FloatBuffer[] maskBuf;
    private final FloatBuffer[] errBuf;
    private final FloatBuffer gradientBuf;
    private final FloatBuffer paramsBuf;
    // matrices for the gemms, made once: all rows, real+fake rows, x̂ rows, and the first B rows
    private final Blas.Matrix[] weights;
    private final Blas.Matrix[] weightGrads;
    private final Blas.Matrix inputAll;
    private final Blas.Matrix inputRealFake;
    private final Blas.Matrix inputInterpolated;
    private final Blas.Matrix inputFirst;
    private final Blas.Matrix preFirstLayerRealFake;
    private final Blas.Matrix[] preAll;
    private final Blas.Matrix[] preFirst;
    private final Blas.Matrix[] actAll;
    private final Blas.Matrix[] actFirst;
    private final Blas.Matrix[] actInterpolated;
    private final Blas.Matrix[] errAll;
    private final Blas.Matrix[] errFirst;
    private final Blas.Matrix[] errInterpolated;

    /**
     * @param critic a network with an MLP shape ending in one score, no BatchNorm, no tanh
     * @param params its flat parameters (not copied: the optimizer's updates are seen here)
     */
    public FusedCriticObjective(LayerNetwork critic, INDArray params, int batch, double lambdaGp) {
        HostMemory.requireCpuBackend();
        if (params.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("the training objective runs in float32, got " + params.dataType());
        }
        MlpShape shape = shape(critic).orElseThrow(() -> new IllegalArgumentException(
                "the fused critic objective takes an MLP critic of Linear and leaky ReLU layers ending in one score"));
        this.penalty = new GradientPenalty(lambdaGp);
        this.batch = batch;
        this.slope = shape.slope();
        this.widths = shape.widths();
        this.layers = widths.length - 1;
        this.kernels = new RowLoops(java.util.Arrays.stream(widths).max().orElseThrow());
        int rows = 3 * batch;
        input = Nd4j.create(DataType.FLOAT, rows, widths[0]);
        pre = new INDArray[layers];
        err = new INDArray[layers];
        act = new INDArray[layers - 1];
        mask = new INDArray[layers - 1];
        preBuf = new FloatBuffer[layers];
        errBuf = new FloatBuffer[layers];
        actBuf = new FloatBuffer[layers - 1];
        maskBuf = new FloatBuffer[layers - 1];
        preAll = new Blas.Matrix[layers];
        preFirst = new Blas.Matrix[layers];
        errAll = new Blas.Matrix[layers];
        errFirst = new Blas.Matrix[layers];
        errInterpolated = new Blas.Matrix[layers];
        actAll = new Blas.Matrix[layers - 1];
        actFirst = new Blas.Matrix[layers - 1];
        actInterpolated = new Blas.Matrix[layers - 1];
        for (int l = 0; l < layers; l++) {
            pre[l] = Nd4j.create(DataType.FLOAT, rows, widths[l + 1]);
            err[l] = Nd4j.create(DataType.FLOAT, rows, widths[l + 1]);
            preBuf[l] = HostMemory.whole(pre[l]);
            errBuf[l] = HostMemory.whole(err[l]);
            preAll[l] = Blas.of(pre[l]);
            preFirst[l] = Blas.rows(pre[l], 0, batch);
            errAll[l] = Blas.of(err[l]);
            errFirst[l] = Blas.rows(err[l], 0, batch);
            errInterpolated[l] = Blas.rows(err[l], 2 * batch, 3 * batch);
            if (l + 1 < layers) {
                act[l] = Nd4j.create(DataType.FLOAT, rows, widths[l + 1]);
                actBuf[l] = HostMemory.whole(act[l]);
                mask[l] = Nd4j.create(DataType.FLOAT, rows, widths[l + 1]);
                maskBuf[l] = HostMemory.whole(mask[l]);
                actAll[l] = Blas.of(act[l]);
                actFirst[l] = Blas.rows(act[l], 0, batch);
                actInterpolated[l] = Blas.rows(act[l], 2 * batch, 3 * batch);
            }
        }
        inputBuf = HostMemory.whole(input);
        realRows = Shapes.rows(input, 0, batch);
        fakeRows = Shapes.rows(input, batch, 2 * batch);
        inputAll = Blas.of(input);
        inputRealFake = Blas.rows(input, 0, 2 * batch);
        inputInterpolated = Blas.rows(input, 2 * batch, 3 * batch);
        inputFirst = Blas.rows(input, 0, batch);
        preFirstLayerRealFake = Blas.rows(pre[0], 0, 2 * batch);

        gradient = Nd4j.create(DataType.FLOAT, params.length());
        gradientBuf = HostMemory.whole(gradient);
        paramsBuf = HostMemory.whole(params);
        weights = new Blas.Matrix[layers];
        weightGrads = new Blas.Matrix[layers];
        biasOffsets = new int[layers];
        ParameterLayout layout = critic.layout();
        for (int l = 0; l < layers; l++) {
            long weightOffset = layout.tensor(shape.weightName(l)).offset();
            weights[l] = Blas.at(params, weightOffset, widths[l], widths[l + 1]);
            weightGrads[l] = Blas.at(gradient, weightOffset, widths[l], widths[l + 1]);
            biasOffsets[l] = (int) layout.tensor(shape.biasName(l)).offset();
        }
    }

    /** Whether {@code critic} is an MLP this objective computes. */
    public static boolean fits(LayerNetwork critic) {
        return shape(critic).isPresent();
    }

    private static java.util.Optional<MlpShape> shape(LayerNetwork critic) {
        return MlpShape.of(critic).filter(s -> s.norms().stream().allMatch(n -> n == null) && !s.tanhOutput()
                && s.widths()[s.widths().length - 1] == 1);
    }

    /** Frees the native buffers now rather than whenever the garbage collector gets to them. */
    @Override
    public void close() {
        NativeArrays.close(input, gradient);
        NativeArrays.close(pre);
        NativeArrays.close(act);
        NativeArrays.close(err);
        NativeArrays.close(mask);
    }

    /** Rows to fill with the real minibatch before {@link #criticLossGradient}. */
    @Override
    public INDArray realRows() {
        return realRows;
    }

    /** Rows to fill with the generated minibatch before {@link #criticLossGradient}. */
    @Override
    public INDArray fakeRows() {
        return fakeRows;
    }

    /** The flat gradient written by {@link #criticLossGradient}, in the critic's parameter layout. */
    @Override
    public INDArray gradient() {
        return gradient;
    }

    /**
     * Computes the critic loss and writes its exact gradient into {@link #gradient()}.
     *
     * @param epsilon [B, 1] float, the interpolation weight ε of each sample
     */
    @Override
    public CriticLoss criticLossGradient(INDArray epsilon) {
        int b = batch;
        int last = layers - 1;
        FloatBuffer eps = HostMemory.whole(epsilon);

        // forward: first layer on real and fake rows, x̂ rows by linearity (biases cancel)
        Blas.gemm(inputRealFake, false, weights[0], false, preFirstLayerRealFake, false);
        int n1 = widths[1];
        kernels.biasActivate(preBuf[0], n1, 0, 2 * b, paramsBuf, biasOffsets[0], null, null, slope);
        FloatBuffer h = preBuf[0];
        for (int r = 0; r < b; r++) {
            float e = eps.get(r);
            int real = r * n1;
            int fake = (b + r) * n1;
            int mixed = (2 * b + r) * n1;
            for (int j = 0; j < n1; j++) {
                float hf = h.get(fake + j);
                h.put(mixed + j, hf + e * (h.get(real + j) - hf));
            }
        }
        if (last > 0) {
            kernels.activate(h, n1, 0, 3 * b, actBuf[0], maskBuf[0], slope);
        }
        for (int l = 1; l <= last; l++) {
            forwardLayer(l, 3 * b, preAll[l], actAll[l - 1]);
        }
        double meanReal = RowLoops.mean(preBuf[last], 0, b);
        double meanFake = RowLoops.mean(preBuf[last], b, 2 * b);

        // backward: Wasserstein errors on real/fake rows, the penalty's adjoint (ones) on x̂ rows
        RowLoops.fill(errBuf[last], 1, 0, b, -1f / b);
        RowLoops.fill(errBuf[last], 1, b, 2 * b, 1f / b);
        RowLoops.fill(errBuf[last], 1, 2 * b, 3 * b, 1f);
        backpropErrors(3 * b, errAll);
        Blas.gemm(errInterpolated[0], false, weights[0], true, inputInterpolated, false);

        // penalty and its tangent: t_0 = v in the x̂ rows of the input, t_l in the x̂ rows of act[l]
        double gp = penalty.seedTangent(inputBuf, widths[0], 2 * b, 3 * b);
        Blas.Matrix tangent = inputInterpolated;
        for (int l = 0; l < last; l++) {
            Blas.gemm(tangent, false, weights[l], false, actInterpolated[l], false);
            kernels.multiply(actBuf[l], maskBuf[l], widths[l + 1], 2 * b, 3 * b);
            tangent = actInterpolated[l];
        }

        // layer inputs are now [real; fake; tangent] and errors [W-term; W-term; adjoint]
        for (int l = 0; l <= last; l++) {
            Blas.gemm(l == 0 ? inputAll : actAll[l - 1], true, errAll[l], false, weightGrads[l], false);
            kernels.columnSums(errBuf[l], widths[l + 1], 0, 2 * b, gradientBuf, biasOffsets[l]);
        }
        double wassersteinTerm = meanFake - meanReal;
        return new CriticLoss(wassersteinTerm + penalty.lambdaGp() * gp, wassersteinTerm, gp);
    }

    /**
     * L_G = −mean D(images) and ∂L_G/∂images written into {@code imageGradient}; the critic's weights
     * stay untouched and get no gradient.
     *
     * @param images [B, n0] generated images G(z)
     * @param imageGradient [B, n0] receives ∂L_G/∂images
     */
    @Override
    public double generatorLossGradient(INDArray images, INDArray imageGradient) {
        int b = batch;
        int last = layers - 1;
        realRows.assign(images); // this objective runs on the first B rows of every buffer
        for (int l = 0; l <= last; l++) {
            forwardLayer(l, b, preFirst[l], l == 0 ? inputFirst : actFirst[l - 1]);
        }
        double meanFake = RowLoops.mean(preBuf[last], 0, b);
        RowLoops.fill(errBuf[last], 1, 0, b, -1f / b);
        backpropErrors(b, errFirst);
        Blas.gemm(errFirst[0], false, weights[0], true, Blas.of(imageGradient), false);
        return -meanFake;
    }

    /** h_l = a_{l-1} W_l + b_l over the first {@code count} rows, then the activation on hidden layers. */
    private void forwardLayer(int l, int count, Blas.Matrix preRows, Blas.Matrix inputRows) {
        Blas.gemm(inputRows, false, weights[l], false, preRows, false);
        boolean hidden = l < layers - 1;
        kernels.biasActivate(preBuf[l], widths[l + 1], 0, count, paramsBuf, biasOffsets[l],
                hidden ? actBuf[l] : null, hidden ? maskBuf[l] : null, slope);
    }

    /** err[l-1] = (err[l] W_lᵀ) ⊙ m_{l-1}, from the output down to the first layer. */
    private void backpropErrors(int count, Blas.Matrix[] errRows) {
        for (int l = layers - 1; l > 0; l--) {
            Blas.gemm(errRows[l], false, weights[l], true, errRows[l - 1], false);
            kernels.multiply(errBuf[l - 1], maskBuf[l - 1], widths[l], 0, count);
        }
    }

}
