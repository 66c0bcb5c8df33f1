package wgangp.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The critic's two objectives on preallocated buffers:
 * <ul>
 *   <li>{@link #criticLossGradient}: L_D = mean D(fake) − mean D(real) + λ·GP with x̂ = εx + (1−ε)G(z),
 *       and its exact gradient with respect to every critic parameter;</li>
 *   <li>{@link #generatorLossGradient}: L_G = −mean D(G(z)) and its gradient with respect to the
 *       images only, which the generator back-propagates further (the critic's weights get none).</li>
 * </ul>
 * One forward pass covers the stacked rows [real; fake; x̂] (3B rows); the x̂ rows of the first layer
 * come from linearity, h_1(x̂) = ε·h_1(real) + (1−ε)·h_1(fake), the biases cancelling, so that layer's
 * largest gemm runs on 2B rows only. The backward pass seeds the output error with −1/B (real),
 * +1/B (fake) and 1 (x̂, the adjoint of {@link GradientPenalty}); after the tangent pass the x̂ rows
 * of each layer input hold the tangent, and one gemm per layer gives Wasserstein plus penalty
 * weight gradients together.
 */
public final class CriticObjective {
    private final Critic critic;
    private final GradientPenalty penalty;
    private final int batch;
    private final double slope;
    private final INDArray input;
    private final INDArray[] pre;
    private final INDArray[] act;
    private final INDArray[] mask;
    private final INDArray[] err;
    private final INDArray gradient;
    private final INDArray[] weightGrads;
    private final INDArray[] biasGrads;

    /** Loss values of one critic evaluation. */
    public record CriticLoss(double criticLoss, double wassersteinTerm, double gradientPenalty) {
        /** mean D(real) − mean D(fake): the critic's estimate of the Wasserstein distance. */
        public double wassersteinEstimate() {
            return -wassersteinTerm;
        }
    }

    public CriticObjective(Critic critic, int batch, double lambdaGp) {
        this.critic = critic;
        this.penalty = new GradientPenalty(lambdaGp);
        this.batch = batch;
        this.slope = critic.spec().negativeSlope();
        DataType dt = critic.dataType();
        int[] w = critic.spec().widths();
        int layers = critic.layers();
        int rows = 3 * batch;
        input = Nd4j.create(dt, rows, w[0]);
        pre = new INDArray[layers];
        err = new INDArray[layers];
        act = new INDArray[layers - 1];
        mask = new INDArray[layers - 1];
        for (int l = 0; l < layers; l++) {
            pre[l] = Nd4j.create(dt, rows, w[l + 1]);
            err[l] = Nd4j.create(dt, rows, w[l + 1]);
            if (l + 1 < layers) {
                act[l] = Nd4j.create(dt, rows, w[l + 1]);
                mask[l] = Nd4j.create(dt, rows, w[l + 1]);
            }
        }
        gradient = Nd4j.create(dt, critic.params().length());
        weightGrads = new INDArray[layers];
        biasGrads = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            weightGrads[l] = critic.layout().view(gradient, Critic.weightName(l));
            biasGrads[l] = critic.layout().view(gradient, Critic.biasName(l));
        }
    }

    public int batch() {
        return batch;
    }

    /** Rows to fill with the real minibatch before {@link #criticLossGradient}. */
    public INDArray realRows() {
        return rows(input, 0, batch);
    }

    /** Rows to fill with the generated minibatch before {@link #criticLossGradient}. */
    public INDArray fakeRows() {
        return rows(input, batch, 2 * batch);
    }

    /** The flat gradient written by {@link #criticLossGradient}, in the critic's parameter layout. */
    public INDArray gradient() {
        return gradient;
    }

    /**
     * Computes the critic loss and writes its exact gradient into {@link #gradient()}.
     *
     * @param epsilon [B, 1], the interpolation weight ε of each sample
     */
    public CriticLoss criticLossGradient(INDArray epsilon) {
        int b = batch;
        int last = critic.layers() - 1;
        // forward: first layer on real and fake rows, x̂ rows by linearity
        INDArray realFake = rows(pre[0], 0, 2 * b);
        Nd4j.gemm(rows(input, 0, 2 * b), critic.weight(0), realFake, false, false, 1.0, 0.0);
        realFake.addiRowVector(critic.bias(0));
        INDArray hFake = rows(pre[0], b, 2 * b);
        rows(pre[0], 2 * b, 3 * b).assign(rows(pre[0], 0, b)).subi(hFake).muliColumnVector(epsilon).addi(hFake);
        activate(0, 3 * b);
        for (int l = 1; l <= last; l++) {
            forwardLayer(l, 3 * b);
        }
        INDArray scores = pre[last];
        double meanReal = rows(scores, 0, b).meanNumber().doubleValue();
        double meanFake = rows(scores, b, 2 * b).meanNumber().doubleValue();

        // backward: Wasserstein errors on real/fake rows, the penalty's adjoint (ones) on x̂ rows
        rows(err[last], 0, b).assign(-1.0 / b);
        rows(err[last], b, 2 * b).assign(1.0 / b);
        rows(err[last], 2 * b, 3 * b).assign(1.0);
        backpropErrors(3 * b);
        INDArray inputGradient = rows(input, 2 * b, 3 * b);
        Nd4j.gemm(rows(err[0], 2 * b, 3 * b), critic.weight(0), inputGradient, false, true, 1.0, 0.0);

        double gp = penalty.seedTangent(inputGradient);
        INDArray[] tangents = new INDArray[critic.layers()];
        INDArray[] xMasks = new INDArray[last];
        tangents[0] = inputGradient;
        for (int l = 0; l < last; l++) {
            tangents[l + 1] = rows(act[l], 2 * b, 3 * b);
            xMasks[l] = rows(mask[l], 2 * b, 3 * b);
        }
        GradientPenalty.propagateTangent(critic, xMasks, tangents);

        // layer inputs are now [real; fake; tangent] and errors [W-term; W-term; adjoint]
        for (int l = 0; l <= last; l++) {
            INDArray layerInput = l == 0 ? input : act[l - 1];
            Nd4j.gemm(layerInput, err[l], weightGrads[l], true, false, 1.0, 0.0);
            biasGrads[l].assign(rows(err[l], 0, 2 * b).sum(0));
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
    public double generatorLossGradient(INDArray images, INDArray imageGradient) {
        int b = batch;
        int last = critic.layers() - 1;
        rows(input, 0, b).assign(images);
        for (int l = 0; l <= last; l++) {
            forwardLayer(l, b);
        }
        double meanFake = rows(pre[last], 0, b).meanNumber().doubleValue();
        rows(err[last], 0, b).assign(-1.0 / b);
        backpropErrors(b);
        Nd4j.gemm(rows(err[0], 0, b), critic.weight(0), imageGradient, false, true, 1.0, 0.0);
        return -meanFake;
    }

    private void forwardLayer(int l, int count) {
        INDArray in = l == 0 ? rows(input, 0, count) : rows(act[l - 1], 0, count);
        INDArray h = rows(pre[l], 0, count);
        Nd4j.gemm(in, critic.weight(l), h, false, false, 1.0, 0.0);
        h.addiRowVector(critic.bias(l));
        if (l < critic.layers() - 1) {
            activate(l, count);
        }
    }

    private void activate(int l, int count) {
        INDArray h = rows(pre[l], 0, count);
        Activations.leaky(h, slope, rows(act[l], 0, count));
        Activations.mask(h, slope, rows(mask[l], 0, count));
    }

    /** err[l-1] = (err[l] W_lᵀ) ⊙ m_{l-1}, from the output down to the first layer. */
    private void backpropErrors(int count) {
        for (int l = critic.layers() - 1; l > 0; l--) {
            INDArray below = rows(err[l - 1], 0, count);
            Nd4j.gemm(rows(err[l], 0, count), critic.weight(l), below, false, true, 1.0, 0.0);
            below.muli(rows(mask[l - 1], 0, count));
        }
    }

    static INDArray rows(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }
}
