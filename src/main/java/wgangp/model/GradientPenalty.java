package wgangp.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The exact gradient of WGAN-GP's penalty λ·mean_b (‖∇ₓD(x̂_b)‖₂ − 1)² with respect to the critic's
 * weights, without double backprop.
 *
 * <p>Notation (batch-major rows, W_l is [n_{l-1}, n_l]): h_l = a_{l-1} W_l + b_l, a_l = m_l ⊙ h_l,
 * m_l = 1 where h_l &gt; 0 and the negative slope elsewhere, a_0 = x̂, identity output (m_L = 1).
 * Because every m_l is piecewise constant, its derivative vanishes almost everywhere and:
 * <ol>
 *   <li>Adjoint ("backprop of ones"): d_L = 1, d_{l-1} = (d_l W_lᵀ) ⊙ m_{l-1}; g = d_1 W_1ᵀ is
 *       ∇ₓD, one row per sample. This is the ordinary input-gradient backprop.</li>
 *   <li>Seed: n_b = ‖g_b‖, P = mean_b (n_b − 1)², v_b = λ·2(n_b − 1)/(B·n_b)·g_b = ∂(λP)/∂g_b
 *       ({@link #seedTangent}).</li>
 *   <li>Tangent: t_0 = v, t_l = (t_{l-1} W_l) ⊙ m_l — the linear part of the forward pass with the
 *       same masks and no biases ({@link #propagateTangent}).</li>
 *   <li>Weight gradient: ∂(λP)/∂W_l = t_{l-1}ᵀ d_l, ∂(λP)/∂b_l = 0.</li>
 * </ol>
 * Step 4 is the ordinary weight-gradient formula with the layer input replaced by the tangent, so
 * {@link CriticObjective} stacks tangent rows under the real and fake rows and gets the Wasserstein
 * and penalty weight gradients from one gemm per layer. The formula is exact only for
 * piecewise-linear critics; {@link CriticSpec#requireExactPenalty()} refuses the others.
 */
public final class GradientPenalty {
    private final double lambdaGp;

    /** @param lambdaGp λ, the penalty weight */
    public GradientPenalty(double lambdaGp) {
        if (lambdaGp < 0 || Double.isNaN(lambdaGp)) {
            throw new IllegalArgumentException("lambdaGp must be >= 0, got " + lambdaGp);
        }
        this.lambdaGp = lambdaGp;
    }

    public double lambdaGp() {
        return lambdaGp;
    }

    /**
     * Step 2: given g = ∇ₓD(x̂) (one row per sample; each norm is over one row's features),
     * returns P = mean_b (‖g_b‖ − 1)² and overwrites g with v = ∂(λP)/∂g.
     */
    public double seedTangent(INDArray inputGradient) {
        long batch = inputGradient.rows();
        INDArray norms = inputGradient.norm2(true, 1);
        INDArray deviation = norms.sub(1.0);
        double penalty = deviation.mul(deviation).meanNumber().doubleValue();
        // a zero row has no direction and stays zero; the floor only keeps 0/0 out of it
        INDArray coefficients = deviation.divi(Transforms.max(norms, 1e-30, false)).muli(2.0 * lambdaGp / batch);
        inputGradient.muliColumnVector(coefficients);
        return penalty;
    }

    /**
     * Step 3: t_l = (t_{l-1} W_l) ⊙ m_l for the hidden layers, written into {@code tangents[l]};
     * {@code tangents[0]} must already hold v.
     *
     * @param masks masks[l] holds m_{l+1}, the mask after hidden layer l+1, for the x̂ rows
     * @param tangents tangents[0] = t_0 (= v), tangents[l] receives t_l, for l = 1..L-1
     */
    public static void propagateTangent(Critic critic, INDArray[] masks, INDArray[] tangents) {
        for (int l = 1; l < critic.layers(); l++) {
            Nd4j.gemm(tangents[l - 1], critic.weight(l - 1), tangents[l], false, false, 1.0, 0.0);
            tangents[l].muli(masks[l - 1]);
        }
    }
}
