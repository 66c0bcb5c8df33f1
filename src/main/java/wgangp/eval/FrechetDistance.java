package wgangp.eval;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The Fréchet distance between two Gaussians N(μ₁, Σ₁) and N(μ₂, Σ₂), the FID when they summarise
 * a classifier's features of real and generated images:
 *
 * <pre>
 *   d² = ‖μ₁ − μ₂‖² + Tr(Σ₁) + Tr(Σ₂) − 2 Tr((Σ₁Σ₂)^½)
 * </pre>
 *
 * <p>Σ₁Σ₂ is not symmetric, but it is similar to the symmetric positive semi-definite
 * A Σ₂ A with A = Σ₁^½ (A⁻¹(A A Σ₂)A = A Σ₂ A, and by continuity when Σ₁ is singular), so its
 * eigenvalues are those of A Σ₂ A: real and non-negative, and Tr((Σ₁Σ₂)^½) is the sum of their
 * square roots. Both steps are symmetric eigen-decompositions, which stay accurate for the
 * rank-deficient covariances of fewer samples than features, where a general matrix square root
 * (scipy's {@code sqrtm}) loses precision. Eigenvalues that rounding pushed below zero are
 * clipped to zero. Near a singular Σ₁Σ₂ the trace term still carries an absolute error of about
 * d·√(ε‖Σ‖) from the square roots of the eigenvalues rounding left near zero.
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    public static double between(FeatureStatistics a, FeatureStatistics b) {
        int d = a.dimension();
        if (b.dimension() != d) {
            throw new IllegalArgumentException("cannot compare features of dimension " + d + " with " + b.dimension());
        }
        double meanTerm = 0;
        for (int i = 0; i < d; i++) {
            double diff = a.mean()[i] - b.mean()[i];
            meanTerm += diff * diff;
        }
        RealMatrix s1 = symmetric(a);
        RealMatrix s2 = symmetric(b);
        return meanTerm + s1.getTrace() + s2.getTrace() - 2 * traceSqrtProduct(s1, s2);
    }

    /** Tr((Σ₁Σ₂)^½) for symmetric positive semi-definite Σ₁, Σ₂. */
    static double traceSqrtProduct(RealMatrix s1, RealMatrix s2) {
        RealMatrix root = sqrtPsd(s1);
        double sum = 0;
        for (double lambda : new EigenDecomposition(symmetrize(root.multiply(s2).multiply(root))).getRealEigenvalues()) {
            sum += Math.sqrt(Math.max(lambda, 0));
        }
        return sum;
    }

    /** The symmetric square root V diag(√max(λ, 0)) Vᵀ. */
    static RealMatrix sqrtPsd(RealMatrix s) {
        EigenDecomposition eig = new EigenDecomposition(s);
        RealMatrix v = eig.getV();
        double[] lambda = eig.getRealEigenvalues();
        RealMatrix scaled = v.copy();
        for (int j = 0; j < lambda.length; j++) {
            double root = Math.sqrt(Math.max(lambda[j], 0));
            for (int i = 0; i < lambda.length; i++) {
                scaled.setEntry(i, j, v.getEntry(i, j) * root);
            }
        }
        return symmetrize(scaled.multiply(v.transpose()));
    }

    private static RealMatrix symmetric(FeatureStatistics s) {
        int d = s.dimension();
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m[i][j] = s.covariance(i, j);
            }
        }
        return symmetrize(new Array2DRowRealMatrix(m, false));
    }

    /**
     * (M + Mᵀ)/2: products of symmetric matrices come back asymmetric in the last bits, and
     * commons-math decomposes a matrix it does not find symmetric as a general one.
     */
    private static RealMatrix symmetrize(RealMatrix m) {
        return m.add(m.transpose()).scalarMultiply(0.5);
    }
}
