package wgangp.train;

import static wgangp.train.TrainingState.Array.CRITIC_ADAM;
import static wgangp.train.TrainingState.Array.CRITIC_PARAMS;
import static wgangp.train.TrainingState.Array.GENERATOR_ADAM;
import static wgangp.train.TrainingState.Array.GENERATOR_BATCH_NORM_STATS;
import static wgangp.train.TrainingState.Array.GENERATOR_PARAMS;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import wgangp.model.CriticObjective;
import wgangp.model.CriticObjective.CriticLoss;
import wgangp.model.Engine;
import wgangp.model.GeneratorPass;
import wgangp.model.NativeArrays;
import wgangp.model.ReplicaGroup;

/**
 * One replica's WGAN-GP training, Algorithm 1 of Gulrajani et al.: {@link #generatorStep} runs
 * nCritic critic updates on fresh real minibatches, fresh z and fresh ε, then one generator update
 * on a fresh z through the (fixed) critic. Owns its networks, optimizers and buffers; one instance
 * per thread. The numerics come from the config's {@link Engine}; the algorithm and the order in
 * which randomness is drawn are the same for every engine, so all compute the same training run up
 * to float32 rounding.
 */
public final class WganGpStep implements AutoCloseable {
    private final WganGpConfig config;
    private final Engine engine;
    private final INDArray generatorParams;
    private final INDArray generatorBatchNormStats;
    private final INDArray criticParams;
    private final GeneratorPass generatorPass;
    private final GeneratorPass fakePass;
    private final INDArray[] fakeBatches;
    private final CriticObjective objective;
    private final Optimizer generatorAdam;
    private final Optimizer criticAdam;
    private final INDArray generatorAdamState;
    private final INDArray criticAdamState;
    private final INDArray epsilon;
    private final INDArray imageGradient;
    private final ReplicaGroup replicas;
    private GradientNoise noise = GradientNoise.NONE;
    private long generatorSteps;
    private long criticSteps;

    private static final WorkspaceConfiguration SCRATCH = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** Losses of the last critic update and of the generator update of one step. */
    public record StepLosses(CriticLoss critic, double generatorLoss) {
    }

    /** One replica training alone. */
    public WganGpStep(WganGpConfig config, TrainingState state) {
        this(config, state, ReplicaGroup.SINGLE, ReplicaGroup.SINGLE);
    }

    /**
     * One of the {@code replicas} that train together on one global batch, each on its own slice
     * of it: every update applies the replicas' mean gradient, so replicas that start equal stay
     * equal, and the step is that of one replica on the whole batch.
     *
     * @param batchNorm the replicas whose slices the generator's BatchNorm normalizes together:
     *                  {@code replicas} (synchronised BatchNorm, exactly the whole batch's step) or
     *                  {@link ReplicaGroup#SINGLE} (each replica's own statistics)
     */
    public WganGpStep(WganGpConfig config, TrainingState state, ReplicaGroup replicas, ReplicaGroup batchNorm) {
        this.config = config;
        this.replicas = replicas;
        this.engine = config.engine().resolve();
        DataType dt = DataType.FLOAT;
        generatorParams = Nd4j.createFromArray(state.generatorParams().clone());
        generatorBatchNormStats = Nd4j.createFromArray(state.generatorBatchNormStats().clone());
        criticParams = Nd4j.createFromArray(state.criticParams().clone());
        Networks networks = new Networks(config, engine, generatorParams, generatorBatchNormStats, criticParams,
                batchNorm);
        generatorAdamState = Nd4j.createFromArray(state.generatorAdam().clone());
        criticAdamState = Nd4j.createFromArray(state.criticAdam().clone());
        generatorAdam = adam(generatorParams, generatorAdamState);
        criticAdam = adam(criticParams, criticAdamState);
        generatorPass = networks.generatorPass(config.batch(), 1);
        fakePass = networks.generatorPass(config.batch(), config.nCritic());
        fakeBatches = new INDArray[config.nCritic()];
        for (int i = 0; i < fakeBatches.length; i++) {
            fakeBatches[i] = fakePass.images().get(NDArrayIndex.interval((long) i * config.batch(),
                    (long) (i + 1) * config.batch()), NDArrayIndex.all());
        }
        objective = networks.criticObjective(config.batch(), config.lambdaGp());
        epsilon = Nd4j.create(dt, config.batch(), 1);
        imageGradient = Nd4j.create(dt, config.batch(), config.generator().outputSize());
        generatorSteps = state.generatorSteps();
        criticSteps = state.criticSteps();
    }

    private Optimizer adam(INDArray params, INDArray state) {
        return engine == Engine.HOST ? new AdamOptimizer(params, state, config)
                : new DeviceAdamOptimizer(params, state, config);
    }

    /** The engine this step runs on: HOST or DEVICE. */
    public Engine engine() {
        return engine;
    }

    /** A fresh state: PyTorch-default initial weights drawn from {@code seed}, zero Adam state. */
    public static TrainingState initialState(WganGpConfig config, long seed) {
        return Networks.initialState(config, seed);
    }

    /**
     * nCritic critic updates followed by one generator update. G does not change during the critic
     * updates, so their nCritic fake batches come from one stacked forward (each batch still
     * normalized with its own BatchNorm statistics, as nCritic separate forwards would).
     *
     * @param data real images [n, imageSize] in [−1, 1]; minibatches are drawn with replacement
     * @param random source of minibatch indices, z and ε
     */
    public StepLosses generatorStep(INDArray data, StepRandom random) {
        try (MemoryWorkspace scope = scratch("fake-batches")) {
            engine.fill(fakePass.z(), random.gaussian(Math.toIntExact(fakePass.z().length())));
            fakePass.forward();
        }
        CriticLoss last = null;
        double[] norms = new double[4];
        for (int i = 0; i < fakeBatches.length; i++) {
            last = criticStep(data, fakeBatches[i], random, i == fakeBatches.length - 1 ? norms : null, 0);
        }
        try (MemoryWorkspace scope = scratch("generator-update")) {
            engine.fill(generatorPass.z(), random.gaussian(Math.toIntExact(generatorPass.z().length())));
            INDArray images = generatorPass.forward();
            double generatorLoss = objective.generatorLossGradient(images, imageGradient);
            generatorPass.backward(imageGradient);
            meanOverReplicas(generatorPass.gradient(), norms, 2);
            generatorAdam.step(generatorPass.gradient(), generatorSteps++);
            measureNoise(norms);
            return new StepLosses(last, generatorLoss);
        }
    }

    /**
     * Replaces this replica's gradient by the replicas' mean (nothing to do alone). With
     * {@code norms}, writes |g|² of this replica's gradient at {@code at} and of the mean at
     * {@code at + 1}, for the noise scale.
     */
    private void meanOverReplicas(INDArray gradient, double[] norms, int at) {
        if (replicas.size() == 1) {
            return;
        }
        if (norms != null) {
            norms[at] = square(gradient);
        }
        replicas.sum(gradient);
        gradient.divi(replicas.size());
        if (norms != null) {
            norms[at + 1] = square(gradient);
        }
    }

    private static double square(INDArray gradient) {
        double norm = gradient.norm2Number().doubleValue();
        return norm * norm;
    }

    /**
     * One noise-scale measurement per generator step, from the last critic update's gradients and
     * the generator's: the replicas' own squared norms are added in one small sum.
     */
    private void measureNoise(double[] norms) {
        if (replicas.size() == 1) {
            return;
        }
        double[] own = {norms[0], norms[2]};
        replicas.sum(own, 0, own.length);
        int n = replicas.size();
        int batch = config.batch();
        noise = noise.plus(GradientNoise.Estimate.of(batch, n * batch, own[0] / n, norms[1]),
                GradientNoise.Estimate.of(batch, n * batch, own[1] / n, norms[3]));
    }

    /** The noise-scale estimates summed over this replica's generator steps so far (none alone). */
    public GradientNoise noise() {
        return noise;
    }

    /**
     * One critic update: L_D on a fresh real minibatch and a fresh fake batch G(z), the gradient the
     * replicas' mean; {@code norms} as in {@link #meanOverReplicas}.
     */
    private CriticLoss criticStep(INDArray data, INDArray fake, StepRandom random, double[] norms, int at) {
        try (MemoryWorkspace scope = scratch("critic-update")) {
            Nd4j.pullRows(data, objective.realRows(), 1, random.rowIndices(config.batch(), (int) data.rows()));
            objective.fakeRows().assign(fake);
            engine.fill(epsilon, random.uniform(config.batch()));
            CriticLoss loss = objective.criticLossGradient(epsilon);
            meanOverReplicas(objective.gradient(), norms, at);
            criticAdam.step(objective.gradient(), criticSteps++);
            return loss;
        }
    }

    /**
     * Opens this thread's workspace {@code id}: the arrays an update allocates (activations,
     * patches, gradients of layers) come from one block that the next update of the same kind
     * reuses, instead of fresh native memory each time, whose allocation and first-touch page faults
     * cost about as much as filling it. Nothing allocated inside outlives the scope: the state,
     * gradients and batches the passes keep are allocated at construction.
     */
    private static MemoryWorkspace scratch(String id) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(SCRATCH, "wgan-gp-" + id);
    }

    /** Frees the replica's native memory; the instance is unusable afterwards. */
    @Override
    public void close() {
        generatorPass.close();
        fakePass.close();
        objective.close();
        NativeArrays.close(generatorParams, generatorBatchNormStats, criticParams, generatorAdamState,
                criticAdamState, epsilon, imageGradient);
    }

    /** The replica's current state as a detached copy. */
    public TrainingState state() {
        return TrainingState.of(Map.of(
                GENERATOR_PARAMS, generatorParams.toFloatVector(),
                GENERATOR_BATCH_NORM_STATS, generatorBatchNormStats.toFloatVector(),
                GENERATOR_ADAM, generatorAdamState.toFloatVector(),
                CRITIC_PARAMS, criticParams.toFloatVector(),
                CRITIC_ADAM, criticAdamState.toFloatVector()), generatorSteps, criticSteps);
    }

    /**
     * The randomness of one replica: minibatch rows, z and ε from one SplittableRandom, so a replica
     * re-run from the same seed draws the same batches in any JVM. (ND4J's native generator gave
     * different numbers for the same seed in different processes.) A subclass may arrange the draws
     * otherwise, as long as it returns what each method promises.
     */
    public static class StepRandom {
        private final SplittableRandom random;
        private float[] scratch = new float[0];

        public StepRandom(long seed) {
            this.random = new SplittableRandom(seed);
        }

        /** {@code count} row indices uniform in [0, bound). */
        protected int[] rowIndices(int count, int bound) {
            int[] idx = new int[count];
            for (int i = 0; i < count; i++) {
                idx[i] = random.nextInt(bound);
            }
            return idx;
        }

        /** {@code count} standard normal values; the array is reused by the next draw. */
        protected float[] gaussian(int count) {
            float[] values = values(count);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            return values;
        }

        /** {@code count} values uniform in [0, 1); the array is reused by the next draw. */
        protected float[] uniform(int count) {
            float[] values = values(count);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextDouble();
            }
            return values;
        }

        private float[] values(int count) {
            if (scratch.length != count) {
                scratch = new float[count];
            }
            return scratch;
        }
    }
}
