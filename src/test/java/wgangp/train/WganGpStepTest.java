package wgangp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.data.IdxReader;
import wgangp.data.ScaledImages;
import wgangp.job.DefaultConfigs;
import wgangp.model.Engine;

/** A short real training run of the reference model on the bundled MNIST digits. */
class WganGpStepTest {
    private static INDArray data;
    private static final WganGpConfig CONFIG = DefaultConfigs.model(784);

    @BeforeAll
    static void load() {
        data = ScaledImages.matrix(IdxReader.readImages("data/mnist/train-images-idx3-ubyte.gz", new Configuration()));
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"HOST", "DEVICE"})
    void shortRunLearnsAsWganGpShould(Engine engine) {
        TrainingState start = WganGpStep.initialState(CONFIG, 3);
        WganGpStep step = new WganGpStep(CONFIG.withEngine(engine), start);
        assertEquals(engine, step.engine());
        List<WganGpStep.StepLosses> losses = new ArrayList<>();
        WganGpStep.StepRandom random = new WganGpStep.StepRandom(3);
        for (int i = 0; i < 60; i++) {
            losses.add(step.generatorStep(data, random));
        }
        for (WganGpStep.StepLosses l : losses) {
            assertTrue(Double.isFinite(l.critic().criticLoss()) && Double.isFinite(l.generatorLoss()), l.toString());
        }
        double first = losses.get(0).critic().wassersteinEstimate();
        double peak = losses.subList(1, 20).stream().mapToDouble(l -> l.critic().wassersteinEstimate()).max().orElseThrow();
        double late = losses.subList(50, 60).stream().mapToDouble(l -> l.critic().wassersteinEstimate()).average().orElseThrow();
        double penaltyLate = losses.subList(50, 60).stream().mapToDouble(l -> l.critic().gradientPenalty()).average().orElseThrow();
        // the critic first learns to separate real from generated digits ...
        assertTrue(peak > 3 * Math.max(first, 0.5), "Wasserstein estimate rises: first " + first + ", peak " + peak);
        // ... then the generator closes the gap while the estimate stays positive
        assertTrue(late > 0 && late < 0.5 * peak, "Wasserstein estimate falls back: peak " + peak + ", late " + late);
        // and the penalty pulls the critic's gradient norm towards 1
        assertTrue(penaltyLate < 0.5 * losses.get(0).critic().gradientPenalty(), "penalty shrinks to " + penaltyLate);

        TrainingState end = step.state();
        assertTrue(maxAbsDifference(start.generatorParams(), end.generatorParams()) > 1e-3, "generator weights moved");
        assertTrue(maxAbsDifference(start.generatorBatchNormStats(), end.generatorBatchNormStats()) > 1e-3,
                "BatchNorm running statistics moved");
        assertTrue(end.generatorSteps() == 60 && end.criticSteps() == 60L * CONFIG.nCritic());
        assertTrue(end.firstNonFinite() == null);
    }

    /**
     * One whole step (nCritic critic updates, one generator update, both Adam steps, BatchNorm
     * statistics) on each engine from the same state and seed. The start is a trained state: from
     * zero Adam state the first update is lr·sign(g), which flips for the odd gradient element that is
     * zero to within float rounding, so that comparison would measure the sign of noise.
     */
    @Test
    void oneStepOnTheDeviceEngineMatchesTheHostEngine() {
        WganGpConfig host = CONFIG.withEngine(Engine.HOST);
        TrainingState warm = LocalTrainer.runRound(host, WganGpStep.initialState(host, 3), data, 5, 0, 0, 3).state();
        WganGpStep.StepLosses[] losses = new WganGpStep.StepLosses[2];
        TrainingState[] after = new TrainingState[2];
        Engine[] engines = {Engine.HOST, Engine.DEVICE};
        for (int i = 0; i < 2; i++) {
            try (WganGpStep step = new WganGpStep(CONFIG.withEngine(engines[i]), warm)) {
                losses[i] = step.generatorStep(data, new WganGpStep.StepRandom(77));
                after[i] = step.state();
            }
        }
        assertRelative(losses[0].critic().criticLoss(), losses[1].critic().criticLoss(), "critic loss");
        assertRelative(losses[0].critic().wassersteinTerm(), losses[1].critic().wassersteinTerm(), "Wasserstein term");
        assertRelative(losses[0].critic().gradientPenalty(), losses[1].critic().gradientPenalty(), "gradient penalty");
        assertRelative(losses[0].generatorLoss(), losses[1].generatorLoss(), "generator loss");
        assertArrayRelative(after[0].generatorParams(), after[1].generatorParams(), "generator parameters");
        assertArrayRelative(after[0].generatorBatchNormStats(), after[1].generatorBatchNormStats(), "BatchNorm statistics");
        assertArrayRelative(after[0].generatorAdam(), after[1].generatorAdam(), "generator Adam state");
        assertArrayRelative(after[0].criticParams(), after[1].criticParams(), "critic parameters");
        assertArrayRelative(after[0].criticAdam(), after[1].criticAdam(), "critic Adam state");
        assertEquals(after[0].generatorSteps(), after[1].generatorSteps());
        assertEquals(after[0].criticSteps(), after[1].criticSteps());
        assertTrue(maxAbsDifference(warm.criticParams(), after[1].criticParams()) > 1e-4, "the step moved the critic");
    }

    private static void assertRelative(double host, double device, String what) {
        // a loss near 0 (the penalty once ‖∇D‖ ≈ 1) cancels, so its rounding is measured against 1
        assertEquals(host, device, 1e-5 * Math.max(1, Math.abs(host)), what);
    }

    /** max|device − host| / max|host| below 1e-5. */
    private static void assertArrayRelative(float[] host, float[] device, String what) {
        double scale = 0;
        for (float v : host) {
            scale = Math.max(scale, Math.abs(v));
        }
        double error = maxAbsDifference(host, device) / scale;
        assertTrue(error < 1e-5, what + ": relative error " + error);
    }

    @Test
    void sameSeedSameBytes() {
        TrainingState start = WganGpStep.initialState(CONFIG, 9);
        TrainingState a = twoSteps(start, 42);
        TrainingState b = twoSteps(start, 42);
        TrainingState c = twoSteps(start, 43);
        assertTrue(States.sameValues(a, b), "a replica re-run from the same seed computes the same state");
        assertFalse(States.sameValues(a, c), "another seed draws other batches");
        assertTrue(Arrays.equals(start.criticParams(), WganGpStep.initialState(CONFIG, 9).criticParams()));
    }

    @Test
    void initialWeightsArePyTorchDefaultAndAPureFunctionOfTheSeed() {
        // the JDK's SplittableRandom is specified bit for bit, so every JVM draws the same weights
        java.util.SplittableRandom expected = new java.util.SplittableRandom(5);
        double bound = 1 / Math.sqrt(100);
        float[] g = WganGpStep.initialState(CONFIG, 5).generatorParams();
        for (int i = 0; i < 10; i++) {
            assertTrue(g[i] == (float) expected.nextDouble(-bound, bound), "generator weight " + i);
        }
        for (float w : java.util.Arrays.copyOf(g, 100 * 128)) {
            assertTrue(Math.abs(w) <= bound, "U(±1/√fan_in)");
        }
    }

    private static TrainingState twoSteps(TrainingState start, long seed) {
        WganGpStep step = new WganGpStep(CONFIG, start);
        WganGpStep.StepRandom random = new WganGpStep.StepRandom(seed);
        step.generatorStep(data, random);
        step.generatorStep(data, random);
        return step.state();
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
