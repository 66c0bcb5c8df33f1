package wgangp.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Fréchet distance against scipy's sqrtm formula (scripts/fid-fixture.py) and a closed form. */
class FrechetDistanceTest {
    private final FidFixture fixture = FidFixture.load();

    @Test
    void matchesScipyForFullRankCovariances() {
        for (String[] pair : new String[][] {{"a", "b"}, {"b", "a"}}) {
            double expected = fixture.fid(pair[0], pair[1]);
            double actual = FrechetDistance.between(fixture.statistics(pair[0]), fixture.statistics(pair[1]));
            assertEquals(expected, actual, 1e-6 * expected, pair[0] + " vs " + pair[1]);
        }
    }

    @Test
    void matchesScipyWhenOneCovarianceIsRankDeficient() {
        assertEquals(5, fixture.covarianceRank("c"));
        for (String[] pair : new String[][] {{"a", "c"}, {"c", "b"}}) {
            double expected = fixture.fid(pair[0], pair[1]);
            double actual = FrechetDistance.between(fixture.statistics(pair[0]), fixture.statistics(pair[1]));
            assertEquals(expected, actual, 1e-6 * expected, pair[0] + " vs " + pair[1]);
        }
    }

    @Test
    void aSingularProductLeavesOnlyTheMeanShift() {
        // Σ₁ = Σ₂ of rank 5 and μ₂ = μ₁ + 0.125: exactly 16 · 0.125² = 0.25. Both this and sqrtm carry the
        // absolute error of square roots of eigenvalues rounded near zero (~d·√(ε‖Σ‖) ≈ 1e-5 here).
        double actual = FrechetDistance.between(fixture.statistics("c"), fixture.statistics("c_shift"));
        assertEquals(fixture.fid("c", "c_shift"), actual, 2e-5);
        assertEquals(0.25, actual, 2e-5);
    }

    @Test
    void aDistributionIsAtDistanceZeroFromItself() {
        for (String name : new String[] {"a", "c"}) {
            FeatureStatistics s = fixture.statistics(name);
            double trace = 0;
            for (int i = 0; i < s.dimension(); i++) {
                trace += s.covariance(i, i);
            }
            double fid = FrechetDistance.between(s, s);
            assertTrue(Math.abs(fid) < (name.equals("a") ? 1e-10 : 1e-4) * trace, name + ": " + fid);
        }
    }

    @Test
    void commutingCovariancesHaveTheClosedForm() {
        // Diagonal covariances: d² = Σ (μ₁ᵢ − μ₂ᵢ)² + Σ (√σ₁ᵢ − √σ₂ᵢ)².
        double[] m1 = {0.5, -1, 2};
        double[] m2 = {0, 1, 2.5};
        double[] v1 = {4, 1, 0.25};
        double[] v2 = {1, 9, 0.25};
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            expected += Math.pow(m1[i] - m2[i], 2) + Math.pow(Math.sqrt(v1[i]) - Math.sqrt(v2[i]), 2);
        }
        double fid = FrechetDistance.between(diagonal(m1, v1), diagonal(m2, v2));
        assertEquals(expected, fid, 1e-12 * expected);
    }

    @Test
    void refusesDifferentDimensions() {
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(
                diagonal(new double[] {0, 0}, new double[] {1, 1}), diagonal(new double[] {0}, new double[] {1})));
    }

    private static FeatureStatistics diagonal(double[] mean, double[] variance) {
        int d = mean.length;
        double[] cov = new double[d * d];
        for (int i = 0; i < d; i++) {
            cov[i * d + i] = variance[i];
        }
        return new FeatureStatistics(100, mean, cov);
    }
}
