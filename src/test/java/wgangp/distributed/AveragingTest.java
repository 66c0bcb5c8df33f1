package wgangp.distributed;

import static wgangp.train.TrainingState.Array.CRITIC_ADAM;
import static wgangp.train.TrainingState.Array.CRITIC_PARAMS;
import static wgangp.train.TrainingState.Array.GENERATOR_ADAM;
import static wgangp.train.TrainingState.Array.GENERATOR_BATCH_NORM_STATS;
import static wgangp.train.TrainingState.Array.GENERATOR_PARAMS;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import wgangp.train.LossSums;
import wgangp.train.States;
import wgangp.train.TrainingState;

class AveragingTest {

    static TrainingState random(long seed, long steps) {
        Random r = new Random(seed);
        Map<TrainingState.Array, Integer> sizes = Map.of(GENERATOR_PARAMS, 40, GENERATOR_BATCH_NORM_STATS, 6,
                GENERATOR_ADAM, 80, CRITIC_PARAMS, 30, CRITIC_ADAM, 60);
        return TrainingState.of(name -> floats(r, sizes.getOrDefault(name, 3)), steps, 5 * steps);
    }

    static float[] floats(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
        }
        return a;
    }

    @Test
    void averagingIdenticalReplicasIsTheIdentity() {
        TrainingState s = random(1, 30);
        for (int replicas = 1; replicas <= 12; replicas++) {
            ReplicaSum sum = ReplicaSum.EMPTY;
            for (int i = 0; i < replicas; i++) {
                sum = ReplicaSum.plus(sum, ReplicaSum.of(s, LossSums.ZERO, computing(i)));
            }
            assertEquals(replicas, sum.replicas());
            assertTrue(States.sameValues(sum.meanState(), s), replicas + " replicas");
        }
        // Also when partial sums are combined as a tree, as treeAggregate does.
        ReplicaSum left = ReplicaSum.plus(ReplicaSum.of(s, LossSums.ZERO, computing(0)),
                ReplicaSum.of(s, LossSums.ZERO, computing(0)));
        ReplicaSum right = ReplicaSum.plus(ReplicaSum.of(s, LossSums.ZERO, computing(0)),
                ReplicaSum.plus(ReplicaSum.of(s, LossSums.ZERO, computing(0)), ReplicaSum.of(s, LossSums.ZERO, computing(0))));
        assertTrue(States.sameValues(ReplicaSum.plus(left, right).meanState(), s));
    }

    @Test
    void theAverageIsTheElementWiseMeanOfEveryArrayAndCounter() {
        TrainingState a = random(1, 30);
        TrainingState b = random(2, 30);
        TrainingState c = random(3, 30);
        TrainingState mean = ReplicaSum.plus(ReplicaSum.plus(ReplicaSum.of(a, LossSums.ZERO, computing(0)),
                ReplicaSum.of(b, LossSums.ZERO, computing(0))), ReplicaSum.of(c, LossSums.ZERO, computing(0))).meanState();
        for (TrainingState.Array name : TrainingState.Array.values()) {
            float[] expected = new float[a.get(name).length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (float) (((double) a.get(name)[i] + b.get(name)[i] + c.get(name)[i]) / 3);
            }
            assertArrayEquals(expected, mean.get(name), name.label());
        }
        assertEquals(30, mean.generatorSteps());
        assertEquals(150, mean.criticSteps());
    }

    @Test
    void theEmptySumIsTheZeroOfTheAggregate() {
        TrainingState s = random(3, 10);
        ReplicaSum one = ReplicaSum.of(s, new LossSums(1, 2, 3, 4, 10), computing(7));
        ReplicaSum left = ReplicaSum.plus(ReplicaSum.EMPTY, one);
        ReplicaSum right = ReplicaSum.plus(one, ReplicaSum.EMPTY);
        assertSame(s, left.meanState());
        assertSame(s, right.meanState());
        assertEquals(one.losses(), left.losses());
        assertEquals(7, ReplicaSum.plus(one, ReplicaSum.of(s, LossSums.ZERO, computing(3))).maxComputeNanos());
    }

    /** Times of a replica that started at 0 on host h and computed for {@code nanos}. */
    private static ReplicaTimes computing(long nanos) {
        return new ReplicaTimes("h", 0, 0, 0, nanos);
    }

    @Test
    void theSumCarriesTheTimesOfTheReplicaThatFinishedLast() {
        TrainingState s = random(3, 10);
        ReplicaTimes early = new ReplicaTimes("a", 1_000, 2_000_000, 1_000_000, 5_000_000);
        ReplicaTimes late = new ReplicaTimes("b", 1_002, 1_000_000, 1_000_000, 5_000_000);
        ReplicaSum sum = ReplicaSum.plus(ReplicaSum.plus(ReplicaSum.EMPTY, ReplicaSum.of(s, LossSums.ZERO, late)),
                ReplicaSum.of(s, LossSums.ZERO, early));
        assertEquals(late, sum.lastFinished());
        assertEquals(1_009.0, late.finishMillis());
        assertTrue(sum.combineNanos() >= 0);
    }

    @Test
    void lossSumsAverageOverStepsAndReplicas() {
        LossSums total = new LossSums(2, 4, 6, 8, 2).plus(new LossSums(4, 4, 2, 0, 2));
        LossSums mean = total.mean();
        assertEquals(1.5, mean.criticLoss());
        assertEquals(2.0, mean.wassersteinEstimate());
        assertEquals(2.0, mean.gradientPenalty());
        assertEquals(2.0, mean.generatorLoss());
        assertEquals("generator loss", new LossSums(0, 0, 0, Double.NaN, 1).firstNonFinite());
    }
}
