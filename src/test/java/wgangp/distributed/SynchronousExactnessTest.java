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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.Activation;
import wgangp.model.Architecture;
import wgangp.model.CriticSpec;
import wgangp.model.Engine;
import wgangp.model.GeneratorSpec;
import wgangp.model.Normalization;
import wgangp.model.ReplicaGroup;
import wgangp.train.NativeThreads;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;
import wgangp.train.WganGpStep;

/**
 * Synchronous data parallelism computes what one worker computes on the whole batch: two replicas,
 * each given one half of every batch (real rows, z and ε) that a single replica draws for a batch of
 * twice the size, adding their gradients and BatchNorm's statistics through XGBoost's collective,
 * end 50 generator steps with the single replica's parameters and losses, to float32 rounding.
 * Without synchronised BatchNorm they do not, which shows what the statistics' sums carry.
 */
class SynchronousExactnessTest {
    private static final int HALF = 8;
    private static final int STEPS = 50;
    private static final int LATENT = 16;
    /**
     * Adam's ε. At the reference's 1e-8 a gradient component far below ε gets a step of ±lr whose
     * sign the last bit of the component decides, so two orders of summation part by lr at once;
     * 1e-5 keeps the comparison at float32 rounding (measured: at most 4e-7 of the largest value
     * over 50 steps, against 5e-3 and more without synchronised BatchNorm).
     */
    private static final double EPS = 1e-5;
    private static final double TOLERANCE = 1e-5;
    /**
     * The losses are differences of means (D(fake) − D(real)) many times smaller than their terms,
     * so their rounding shows more: measured up to 3e-5 apart.
     */
    private static final double LOSS_TOLERANCE = 2e-4;
    private static ExecutorService threads;
    private static INDArray data;

    @BeforeAll
    static void setUp() {
        NativeThreads.set(1);
        threads = Executors.newFixedThreadPool(2);
        data = Nd4j.rand(DataType.FLOAT, 200, 784).muli(2).subi(1);
    }

    @AfterAll
    static void tearDown() {
        threads.shutdownNow();
    }

    static WganGpConfig mlp(int batch) {
        return new WganGpConfig(new GeneratorSpec(LATENT, List.of(32, 64), 0.2, 784, 0.1, 1e-5),
                new CriticSpec(784, List.of(64, 32), Activation.LEAKYRELU, 0.2, Normalization.NONE),
                batch, 2e-4, 0.5, 0.999, EPS, 5, 10, Engine.HOST);
    }

    static WganGpConfig dcgan(int batch) {
        WganGpConfig m = mlp(batch);
        return new WganGpConfig(m.generator(), m.critic(), batch, 2e-4, 0.5, 0.999, 1e-8, 5, 10, Engine.HOST,
                Architecture.DCGAN, 4);
    }

    /** One run's per-step losses and its end state. */
    record Run(double[] criticLosses, double[] generatorLosses, TrainingState end) {
    }

    @Test
    void twoHalvesWithSynchronisedBatchNormAreTheWholeBatch() throws Exception {
        Run whole = single(mlp(2 * HALF), STEPS);
        List<Run> halves = pair(mlp(HALF), STEPS, true);
        for (Run half : halves) {
            assertClose(whole, half, halves, TOLERANCE);
        }
        assertArrayEquals(halves.get(0).end().generatorParams(), halves.get(1).end().generatorParams(),
                "the replicas stay identical");
        assertArrayEquals(halves.get(0).end().criticAdam(), halves.get(1).end().criticAdam());
    }

    @Test
    void theConvolutionalModelsBatchNormSynchronisesToo() throws Exception {
        Run whole = single(dcgan(2 * HALF), 10);
        List<Run> halves = pair(dcgan(HALF), 10, true);
        assertClose(whole, halves.get(0), halves, TOLERANCE);
    }

    @Test
    void withoutSynchronisedBatchNormTheHalvesTrainAnotherModel() throws Exception {
        Run whole = single(mlp(2 * HALF), STEPS);
        List<Run> halves = pair(mlp(HALF), STEPS, false);
        double gap = maxRelative(whole.end().generatorParams(), halves.get(0).end().generatorParams());
        assertTrue(gap > 100 * TOLERANCE, "per-worker statistics differ from the whole batch's: " + gap);
    }

    /** Losses: the mean of the halves' (each a mean over its half). Parameters: rank 0's. */
    private static void assertClose(Run whole, Run half, List<Run> halves, double tolerance) {
        for (int i = 0; i < whole.criticLosses().length; i++) {
            double critic = (halves.get(0).criticLosses()[i] + halves.get(1).criticLosses()[i]) / 2;
            double generator = (halves.get(0).generatorLosses()[i] + halves.get(1).generatorLosses()[i]) / 2;
            assertEquals(whole.criticLosses()[i], critic, LOSS_TOLERANCE * (1 + Math.abs(critic)),
                    "critic loss, step " + i);
            assertEquals(whole.generatorLosses()[i], generator, LOSS_TOLERANCE * (1 + Math.abs(generator)),
                    "generator loss, step " + i);
        }
        for (TrainingState.Array name : TrainingState.Array.values()) {
            double gap = maxRelative(whole.end().get(name), half.end().get(name));
            assertTrue(gap < tolerance, name.label() + " differs by " + gap);
        }
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

    private static Run single(WganGpConfig config, int steps) {
        TrainingState start = WganGpStep.initialState(config, 7);
        try (WganGpStep step = new WganGpStep(config, start)) {
            return train(step, new WganGpStep.StepRandom(3), steps);
        }
    }

    private static List<Run> pair(WganGpConfig config, int steps, boolean batchNormSync) throws Exception {
        TrainingState start = WganGpStep.initialState(config, 7);
        try (CollectiveTracker tracker = CollectiveTracker.start("127.0.0.1", 2, Duration.ofMinutes(2))) {
            String args = tracker.workerArgs();
            List<Future<Run>> runs = new ArrayList<>();
            for (int rank = 0; rank < 2; rank++) {
                int r = rank;
                runs.add(threads.submit(() -> {
                    NativeThreads.set(1);
                    try (CollectiveGroup group = CollectiveGroup.join(args, r, 2);
                         WganGpStep step = new WganGpStep(config, start, group,
                                 batchNormSync ? group : ReplicaGroup.SINGLE)) {
                        return train(step, new Half(3, r, HALF, LATENT), steps);
                    }
                }));
            }
            return List.of(runs.get(0).get(), runs.get(1).get());
        }
    }

    private static Run train(WganGpStep step, WganGpStep.StepRandom random, int steps) {
        double[] critic = new double[steps];
        double[] generator = new double[steps];
        for (int i = 0; i < steps; i++) {
            WganGpStep.StepLosses l = step.generatorStep(data, random);
            critic[i] = l.critic().criticLoss();
            generator[i] = l.generatorLoss();
        }
        return new Run(critic, generator, step.state());
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
