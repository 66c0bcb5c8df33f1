package wgangp.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The critic's two objectives on preallocated buffers for one batch size:
 * <ul>
 *   <li>{@link #criticLossGradient}: L_D = mean D(fake) − mean D(real) + λ·GP with x̂ = εx + (1−ε)G(z),
 *       and its exact gradient with respect to every critic parameter ({@link GradientPenalty});</li>
 *   <li>{@link #generatorLossGradient}: L_G = −mean D(G(z)) and its gradient with respect to the
 *       images only, which the generator back-propagates further (the critic's weights get none).</li>
 * </ul>
 * {@link Engine} chooses the implementation: fused host loops on ND4J's CPU backend, ND4J ops on
 * any backend. Both compute the same numbers up to float32 rounding.
 */
public interface CriticObjective extends AutoCloseable {

    /** Loss values of one critic evaluation. */
    record CriticLoss(double criticLoss, double wassersteinTerm, double gradientPenalty) {
        /** mean D(real) − mean D(fake): the critic's estimate of the Wasserstein distance. */
        public double wassersteinEstimate() {
            return -wassersteinTerm;
        }
    }

    /** Rows to fill with the real minibatch before {@link #criticLossGradient}. */
    INDArray realRows();

    /** Rows to fill with the generated minibatch before {@link #criticLossGradient}. */
    INDArray fakeRows();

    /** The flat gradient written by {@link #criticLossGradient}, in the critic's parameter layout. */
    INDArray gradient();

    /**
     * Computes the critic loss and writes its exact gradient into {@link #gradient()}.
     *
     * @param epsilon [B, 1] float, the interpolation weight ε of each sample
     */
    CriticLoss criticLossGradient(INDArray epsilon);

    /**
     * L_G = −mean D(images) and ∂L_G/∂images written into {@code imageGradient}; the critic's weights
     * stay untouched and get no gradient.
     *
     * @param images [B, n0] generated images G(z)
     * @param imageGradient [B, n0] receives ∂L_G/∂images
     */
    double generatorLossGradient(INDArray images, INDArray imageGradient);

    /** Frees the native buffers now rather than whenever the garbage collector gets to them. */
    @Override
    void close();
}
