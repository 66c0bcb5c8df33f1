package wgangp.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 *       same masks and no biases (in the {@link CriticObjective} implementations).</li>
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
     * Step 2: given g = ∇ₓD(x̂) in rows [from, to) of a [rows, cols] matrix (each norm is over one
     * row's features, one row per sample), returns P = mean_b (‖g_b‖ − 1)² and overwrites g with
     * v = ∂(λP)/∂g.
     */
    public double seedTangent(FloatBuffer g, int cols, int from, int to) {
        int batch = to - from;
        double penalty = 0;
        for (int r = from; r < to; r++) {
            int base = r * cols;
            double squares = 0;
            for (int j = 0; j < cols; j++) {
                double x = g.get(base + j);
                squares += x * x;
            }
            double norm = Math.sqrt(squares);
            penalty += (norm - 1) * (norm - 1) / batch;
            // a zero row has no direction and stays zero; the floor only keeps 0/0 out of it
            float c = (float) (2.0 * lambdaGp * (norm - 1) / (batch * Math.max(norm, 1e-30)));
            for (int j = 0; j < cols; j++) {
                g.put(base + j, c * g.get(base + j));
            }
        }
        return penalty;
    }

    /**
     * Step 2 in ND4J ops, for any backend (the arrays stay where they are): given g = ∇ₓD(x̂), a
     * [B, cols] matrix with one row per sample, overwrites g with v = ∂(λP)/∂g and returns the
     * per-sample terms (‖g_b‖ − 1)² as a new [B, 1] array, whose mean is P.
     */
    public INDArray seedTangentWithOps(INDArray g) {
        long batch = g.rows();
        INDArray norms = g.norm2(1).reshape(batch, 1);
        INDArray gap = norms.sub(1.0);
        // a zero row has no direction and stays zero; the floor only keeps 0/0 out of it
        INDArray scale = gap.mul(2.0 * lambdaGp / batch).divi(Transforms.max(norms, 1e-30, false));
        g.muliColumnVector(scale);
        return gap.muli(gap);
    }
}
