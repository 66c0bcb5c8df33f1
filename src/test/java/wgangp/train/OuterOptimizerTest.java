package wgangp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static wgangp.train.TrainingState.Array.CRITIC_OUTER_MOMENTUM;
import static wgangp.train.TrainingState.Array.CRITIC_PARAMS;
import static wgangp.train.TrainingState.Array.GENERATOR_ADAM;
import static wgangp.train.TrainingState.Array.GENERATOR_BATCH_NORM_STATS;
import static wgangp.train.TrainingState.Array.GENERATOR_OUTER_MOMENTUM;
import static wgangp.train.TrainingState.Array.GENERATOR_PARAMS;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OuterOptimizerTest {

    private static TrainingState state(float[] generator, float[] critic, float[] generatorMomentum,
                                       float[] criticMomentum, float statistic) {
        return TrainingState.of(name -> switch (name) {
            case GENERATOR_PARAMS -> generator;
            case CRITIC_PARAMS -> critic;
            case GENERATOR_OUTER_MOMENTUM -> generatorMomentum;
            case CRITIC_OUTER_MOMENTUM -> criticMomentum;
            default -> new float[] {statistic, statistic};
        }, 40, 200);
    }

    /**
     * Two rounds with η = 0.5, μ = 0.5 worked by hand. Round 1, generator element 0: θ_start 1,
     * mean 0.5, so Δ = 0.5, v = 0.5·0 + 0.5 = 0.5, θ = 1 − 0.5·(0.5 + 0.5·0.5) = 0.625. Round 2
     * from there with mean 0.375: Δ = 0.25, v = 0.5·0.5 + 0.25 = 0.5, θ = 0.625 − 0.5·(0.25 + 0.25)
     * = 0.375. Element 1 and the critic follow the same lines. All values are exact in float.
     */
    @Test
    void nesterovStepsMatchAHandComputation() {
        OuterOptimizer outer = new OuterOptimizer(0.5, 0.5);
        float[] none = new float[0];
        TrainingState start = state(new float[] {1, -2}, new float[] {4}, none, none, 9);
        TrainingState mean = state(new float[] {0.5f, -1}, new float[] {3}, none, none, 7);

        TrainingState first = outer.step(start, mean);
        // element 1: Δ = −1, v = −1, θ = −2 − 0.5·(−1 − 0.5) = −1.25; critic: Δ = 1, v = 1, θ = 4 − 0.75 = 3.25
        assertArrayEquals(new float[] {0.625f, -1.25f}, first.generatorParams());
        assertArrayEquals(new float[] {0.5f, -1}, first.get(GENERATOR_OUTER_MOMENTUM));
        assertArrayEquals(new float[] {3.25f}, first.criticParams());
        assertArrayEquals(new float[] {1}, first.get(CRITIC_OUTER_MOMENTUM));
        // Everything else is the replicas' mean, counters included.
        assertSame(mean.get(GENERATOR_ADAM), first.get(GENERATOR_ADAM));
        assertSame(mean.get(GENERATOR_BATCH_NORM_STATS), first.get(GENERATOR_BATCH_NORM_STATS));
        assertEquals(40, first.generatorSteps());

        TrainingState secondMean = state(new float[] {0.375f, -1.25f}, new float[] {3.25f}, none, none, 7);
        TrainingState second = outer.step(first, secondMean);
        // element 1: Δ = 0, v = −0.5, θ = −1.25 − 0.5·(0 − 0.25) = −1.125; critic: Δ = 0, v = 0.5, θ = 3.25 − 0.125
        assertArrayEquals(new float[] {0.375f, -1.125f}, second.generatorParams());
        assertArrayEquals(new float[] {0.5f, -0.5f}, second.get(GENERATOR_OUTER_MOMENTUM));
        assertArrayEquals(new float[] {3.125f}, second.criticParams());
        assertArrayEquals(new float[] {0.5f}, second.get(CRITIC_OUTER_MOMENTUM));
    }

    /** Many rounds on random values against the formulas evaluated in double, rounded to float once per round. */
    @Test
    void manyRoundsMatchTheFormulaInDouble() {
        Random r = new Random(5);
        double lr = 0.7;
        double mu = 0.9;
        OuterOptimizer outer = new OuterOptimizer(lr, mu);
        int n = 50;
        float[] none = new float[0];
        TrainingState state = state(random(r, n), random(r, n), none, none, 1);
        double[] v = new double[n];
        for (int round = 0; round < 20; round++) {
            float[] avg = state.generatorParams().clone();
            for (int i = 0; i < n; i++) {
                avg[i] += (float) (r.nextGaussian() * 1e-2);
            }
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) {
                double delta = (double) state.generatorParams()[i] - avg[i];
                v[i] = mu * (float) v[i] + delta;
                expected[i] = (float) (state.generatorParams()[i] - lr * (delta + mu * v[i]));
            }
            state = outer.step(state, state(avg, state.criticParams(), none, none, 1));
            assertArrayEquals(expected, state.generatorParams(), "round " + round);
            float[] momentum = state.get(GENERATOR_OUTER_MOMENTUM);
            for (int i = 0; i < n; i++) {
                assertEquals((float) v[i], momentum[i]);
            }
        }
    }

    /** η = 1, μ = 0 is the replicas' mean itself, not a recomputation of it. */
    @Test
    void plainAveragingReturnsTheMean() {
        TrainingState start = state(new float[] {1}, new float[] {2}, new float[0], new float[0], 0);
        TrainingState mean = state(new float[] {3}, new float[] {4}, new float[0], new float[0], 0);
        assertSame(mean, OuterOptimizer.AVERAGING.step(start, mean));
        assertSame(mean, new OuterOptimizer(1, 0).step(start, mean));
    }

    @Test
    void withoutMomentumNoneIsKept() {
        TrainingState start = state(new float[] {1}, new float[] {2}, new float[0], new float[0], 0);
        TrainingState mean = state(new float[] {0}, new float[] {2}, new float[0], new float[0], 0);
        TrainingState next = new OuterOptimizer(2, 0).step(start, mean);
        assertArrayEquals(new float[] {-1}, next.generatorParams());
        assertEquals(0, next.get(GENERATOR_OUTER_MOMENTUM).length);
    }

    @Test
    void badSettingsAndShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OuterOptimizer(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new OuterOptimizer(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new OuterOptimizer(Double.NaN, 0));
        TrainingState start = state(new float[] {1, 2}, new float[] {2}, new float[] {1}, new float[0], 0);
        TrainingState mean = state(new float[] {1, 2}, new float[] {2}, new float[0], new float[0], 0);
        assertThrows(IllegalArgumentException.class, () -> new OuterOptimizer(1, 0.5).step(start, mean));
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
