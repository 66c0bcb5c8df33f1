package wgangp.train;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.model.ReplicaGroup;

/**
 * Training in one JVM, without Spark: {@link #runRound} is exactly what each Spark partition runs
 * in a round, and {@link #train} is the whole loop for a single replica (rounds of the averaging
 * frequency, which for one replica only decide where the random streams restart). A Spark run with
 * one worker must reproduce {@link #train} bit for bit.
 */
public final class LocalTrainer {
    private LocalTrainer() {
    }

    /**
     * A replica's state after a round, the losses of its generator steps, and where its time went.
     *
     * @param noise        the gradient noise scale's estimates (none for a replica training alone)
     * @param setupNanos   building the replica (networks, optimizers and their buffers) from the start state
     * @param computeNanos the generator steps
     */
    public record RoundOutcome(TrainingState state, LossSums losses, GradientNoise noise, long setupNanos,
                               long computeNanos) implements Serializable {
    }

    /**
     * Trains one replica for {@code generatorSteps} WGAN-GP steps (nCritic critic updates and one
     * generator update each) from {@code start} on its shard, with randomness drawn from
     * {@link Seeds#replica}(seed, round, partition) alone.
     *
     * @param shard real images [n, imageSize] in [−1, 1]
     * @param round the round's identity: the generator step it starts at
     */
    public static RoundOutcome runRound(WganGpConfig config, TrainingState start, INDArray shard, long seed,
                                        long round, int partition, int generatorSteps) {
        return runRound(config, start, shard, seed, round, partition, generatorSteps, ReplicaGroup.SINGLE,
                ReplicaGroup.SINGLE);
    }

    /**
     * {@link #runRound} as one of {@code replicas} that add their gradients every step (see
     * {@link WganGpStep#WganGpStep(WganGpConfig, TrainingState, ReplicaGroup, ReplicaGroup)}): every
     * replica of the group ends the round with the same state.
     */
    public static RoundOutcome runRound(WganGpConfig config, TrainingState start, INDArray shard, long seed,
                                        long round, int partition, int generatorSteps, ReplicaGroup replicas,
                                        ReplicaGroup batchNorm) {
        long t0 = System.nanoTime();
        try (WganGpStep step = new WganGpStep(config, start, replicas, batchNorm)) {
            long t1 = System.nanoTime();
            LossSums losses = LossSums.ZERO;
            WganGpStep.StepRandom random = new WganGpStep.StepRandom(Seeds.replica(seed, round, partition));
            for (int i = 0; i < generatorSteps; i++) {
                losses = losses.plus(step.generatorStep(shard, random));
            }
            long t2 = System.nanoTime();
            return new RoundOutcome(step.state(), losses, step.noise(), t1 - t0, t2 - t1);
        }
    }

    /** One replica as partition 0, from {@code start} until it has made {@code totalSteps} generator steps. */
    public static TrainingState train(WganGpConfig config, TrainingState start, INDArray shard, long seed,
                                      int averagingFrequency, long totalSteps) {
        TrainingState state = start;
        int steps;
        while ((steps = RoundSchedule.roundLength(state.generatorSteps(), totalSteps, averagingFrequency)) > 0) {
            state = runRound(config, state, shard, seed, state.generatorSteps(), 0, steps).state();
        }
        return state;
    }
}
