package wgangp.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.job.DefaultConfigs;
import wgangp.model.ReplicaGroup;
import wgangp.train.NativeThreads;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;
import wgangp.train.WganGpStep;

/**
 * Synchronous data parallelism computes what one worker computes on the whole batch: two replicas,
 * each given one half of every batch (real rows, z and ε) that a single replica draws for a batch of
 * twice the size, adding their gradients and BatchNorm's statistics through XGBoost's collective,
 * produce the single replica's losses and state to float32 rounding, at each of 50 generator steps
 * along its trajectory. Each step starts all three from the single replica's state: GAN training
 * amplifies any rounding difference over steps (a loss near a sign change of a gradient component
 * flips Adam's step), and the question is what one step computes, not how chaotic training is.
 * Without synchronised BatchNorm the halves compute something else, which shows what the
 * statistics' sums carry.
 */
class SynchronousExactnessTest {
    private static final int HALF = 8;
    private static final int STEPS = 50;
    private static final int LATENT = 16;
    /** Relative to an array's largest value: float32 rounding is about 1e-7 of it. */
    private static final double TOLERANCE = 1e-5;
    /**
     * Adam's ε. Adam divides each gradient component by its own running size, so a component that
     * cancels to almost nothing over the batch (a sum of terms of 1e-2 ending near 1e-9) keeps its
     * rounding error as a relative one: at the reference's 1e-8 its step is ±lr times a fraction
     * that the last bits decide, a few 1e-4 of the parameters apart after one step whichever order
     * the batch is summed in. 1e-5 bounds such a step by 1e-4·lr and leaves float32 rounding.
     */
    private static final double EPS = 1e-5;
    /** The losses are differences of means many times smaller than their terms, so their rounding shows more. */
    private static final double LOSS_TOLERANCE = 1e-4;
    private static ExecutorService threads;
    private static INDArray data;

    @BeforeAll
    static void setUp() {
        NativeThreads.set(1);
        threads = Executors.newFixedThreadPool(2);
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        float[] pixels = new float[200 * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) (2 * random.nextDouble() - 1);
        }
        data = Nd4j.createFromArray(pixels).reshape(200, 784);
    }

    @AfterAll
    static void tearDown() {
        threads.shutdownNow();
    }

    static WganGpConfig mlp(int batch) {
        return DefaultConfigs.model(784, small(batch, "mlp"));
    }

    static WganGpConfig dcgan(int batch) {
        return DefaultConfigs.model(784, small(batch, "dcgan"));
    }

    private static String[] small(int batch, String model) {
        return new String[] {"latent", String.valueOf(LATENT), "generator.hidden", "32,64", "critic.hidden", "64,32",
            "batch", String.valueOf(batch), "adamEpsilon", String.valueOf(EPS), "engine", "host", "model", model,
            "dcgan.dim", "4"};
    }

    /** One generator step's losses and the state after it. */
    record Step(double criticLoss, double generatorLoss, TrainingState end) {
    }

    @Test
    void twoHalvesWithSynchronisedBatchNormAreTheWholeBatch() throws Exception {
        double worst = compare(mlp(2 * HALF), mlp(HALF), STEPS, true);
        System.out.println("largest relative difference over " + STEPS + " steps: " + worst);
        assertTrue(worst < TOLERANCE, "largest relative difference " + worst);
    }

    @Test
    void theConvolutionalModelsBatchNormSynchronisesToo() throws Exception {
        double worst = compare(dcgan(2 * HALF), dcgan(HALF), 10, true);
        assertTrue(worst < TOLERANCE, "largest relative difference " + worst);
    }

    @Test
    void withoutSynchronisedBatchNormTheHalvesTrainAnotherModel() throws Exception {
        double worst = compare(mlp(2 * HALF), mlp(HALF), 5, false);
        assertTrue(worst > 100 * TOLERANCE, "per-worker statistics differ from the whole batch's: " + worst);
    }

    /**
     * Runs {@code steps} generator steps of the whole batch, and from the same state before each,
     * the step of the two halves; checks the losses and that the halves stay identical, and returns
     * the largest relative difference of a state array between the halves and the whole.
     */
    private static double compare(WganGpConfig whole, WganGpConfig half, int steps, boolean batchNormSync)
            throws Exception {
        TrainingState state = WganGpStep.initialState(whole, 7);
        WganGpStep.StepRandom wholeRandom = new WganGpStep.StepRandom(3);
        List<WganGpStep.StepRandom> halves = List.of(new Half(3, 0, HALF, LATENT), new Half(3, 1, HALF, LATENT));
        double worst = 0;
        for (int i = 0; i < steps; i++) {
            Step reference;
            try (WganGpStep step = new WganGpStep(whole, state)) {
                WganGpStep.StepLosses l = step.generatorStep(data, wholeRandom);
                reference = new Step(l.critic().criticLoss(), l.generatorLoss(), step.state());
            }
            List<Step> pair = pair(half, state, halves, batchNormSync);
            assertArrayEquals(pair.get(0).end().generatorParams(), pair.get(1).end().generatorParams(),
                    "the replicas stay identical");
            assertArrayEquals(pair.get(0).end().criticAdam(), pair.get(1).end().criticAdam());
            if (batchNormSync) {
                // each half's loss is a mean over its half: the whole's is their mean
                double critic = (pair.get(0).criticLoss() + pair.get(1).criticLoss()) / 2;
                double generator = (pair.get(0).generatorLoss() + pair.get(1).generatorLoss()) / 2;
                assertEquals(reference.criticLoss(), critic, LOSS_TOLERANCE * (1 + Math.abs(critic)),
                        "critic loss, step " + i);
                assertEquals(reference.generatorLoss(), generator, LOSS_TOLERANCE * (1 + Math.abs(generator)),
                        "generator loss, step " + i);
            }
            for (TrainingState.Array name : TrainingState.Array.values()) {
                worst = Math.max(worst, maxRelative(reference.end().get(name), pair.get(0).end().get(name)));
            }
            state = reference.end();
        }
        return worst;
    }

    /** max |a − b| / (max |a| + tiny) over the arrays: float32 rounding is about 1e-7 of the largest value. */
    private static double maxRelative(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double scale = 1e-12;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff / scale;
    }

    /** One generator step of the two halves from {@code start}, in two threads joined to one collective. */
    private static List<Step> pair(WganGpConfig config, TrainingState start, List<WganGpStep.StepRandom> randoms,
                                   boolean batchNormSync) throws Exception {
        try (CollectiveTracker tracker = CollectiveTracker.start("127.0.0.1", 2, Duration.ofMinutes(2))) {
            String args = tracker.workerArgs();
            List<Future<Step>> runs = new ArrayList<>();
            for (int rank = 0; rank < 2; rank++) {
                int r = rank;
                runs.add(threads.submit(() -> {
                    NativeThreads.set(1);
                    try (CollectiveGroup group = CollectiveGroup.join(args, r, 2);
                         WganGpStep step = new WganGpStep(config, start, group,
                                 batchNormSync ? group : ReplicaGroup.SINGLE)) {
                        WganGpStep.StepLosses l = step.generatorStep(data, randoms.get(r));
                        return new Step(l.critic().criticLoss(), l.generatorLoss(), step.state());
                    }
                }));
            }
            return List.of(runs.get(0).get(), runs.get(1).get());
        }
    }

    /**
     * The draws of a replica training batches of twice {@code half}, of which this one keeps its
     * rank's half: rows, ε and, for z (groups of batches stacked row-wise, {@code latent} wide),
     * its half of every group.
     */
    static final class Half extends WganGpStep.StepRandom {
        private final int rank;
        private final int half;
        private final int latent;

        Half(long seed, int rank, int half, int latent) {
            super(seed);
            this.rank = rank;
            this.half = half;
            this.latent = latent;
        }

        @Override
        protected int[] rowIndices(int count, int bound) {
            int[] all = super.rowIndices(2 * count, bound);
            return java.util.Arrays.copyOfRange(all, rank * count, (rank + 1) * count);
        }

        @Override
        protected float[] uniform(int count) {
            float[] all = super.uniform(2 * count).clone();
            return java.util.Arrays.copyOfRange(all, rank * count, (rank + 1) * count);
        }

        @Override
        protected float[] gaussian(int count) {
            float[] all = super.gaussian(2 * count).clone();
            int groupLength = half * latent;
            int groups = count / groupLength;
            float[] mine = new float[count];
            for (int g = 0; g < groups; g++) {
                System.arraycopy(all, (2 * g + rank) * groupLength, mine, g * groupLength, groupLength);
            }
            return mine;
        }
    }
}
