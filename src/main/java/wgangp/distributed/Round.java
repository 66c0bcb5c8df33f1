package wgangp.distributed;

import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import wgangp.data.Shard;
import wgangp.train.BlasKernel;
import wgangp.train.GradientNoise;
import wgangp.train.LossSums;
import wgangp.train.NativeKernels;
import wgangp.train.OuterOptimizer;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;

/**
 * One round of parameter averaging: broadcast the state, let every partition train its replica
 * for a few generator steps, treeAggregate the sum of the replicas' states (parameters, Adam m and
 * v, BatchNorm statistics, counters) and divide by their number on the driver, then apply the
 * {@link OuterOptimizer}. The outer optimizer's momentum stays on the driver: replicas get the
 * state {@linkplain TrainingState#forReplicas() without it}. With one worker the round returns that
 * worker's state unchanged: the outer step of a single replica would extrapolate its own steps.
 */
public final class Round {
    private Round() {
    }

    /**
     * @param averaged    the state after the round: the replicas' mean, moved by the outer step
     * @param losses      loss sums over all replicas and steps of the round
     * @param seconds     wall time of the whole round on the driver
     * @param syncSeconds the part of it not spent computing in the slowest partition: broadcast,
     *                    scheduling, result transfer and aggregation
     * @param phases      the round's wall time by phase
     * @param allreduce   what the slowest replica's sums of gradients and statistics across the
     *                    replicas cost (synchronous rounds only; none here)
     * @param noise       the gradient noise scale's estimates (synchronous rounds only)
     */
    public record Result(TrainingState averaged, LossSums losses, double seconds, double syncSeconds,
                         RoundPhases phases, AllreduceTimes allreduce, GradientNoise noise) {
    }

    public static Result run(JavaSparkContext sc, JavaRDD<Shard> shards, WganGpConfig config, OuterOptimizer outer,
                             TrainingState start, long seed, int generatorSteps, int workers, NativeKernels kernels) {
        long t0 = System.nanoTime();
        Broadcast<TrainingState> state = sc.broadcast(start.forReplicas());
        long serialiseNanos = System.nanoTime() - t0;
        long submitMillis = System.currentTimeMillis();
        ReplicaSum sum;
        try {
            ReplicaTask task = new ReplicaTask(config, state, seed, start.generatorSteps(), generatorSteps,
                    kernels);
            sum = shards.mapPartitions(task).treeAggregate(ReplicaSum.EMPTY, ReplicaSum::plus, ReplicaSum::plus);
        } catch (Exception e) {
            // A worker on another BLAS kernel is a setting to fix: say so in one line, not in
            // Spark's stage-failure report. Anything else goes on as it came.
            Optional<BlasKernel.KernelMismatchException> mismatch = BlasKernel.KernelMismatchException.reportedIn(e);
            if (mismatch.isPresent()) {
                throw mismatch.get();
            }
            throw e;
        } finally {
            state.destroy();
        }
        if (sum.replicas() != workers || sum.stateSum() == null) {
            throw new IllegalStateException("round at step " + start.generatorSteps() + " returned "
                    + sum.replicas() + " replicas, expected " + workers);
        }
        long t1 = System.nanoTime();
        TrainingState mean = sum.meanState();
        long t2 = System.nanoTime();
        TrainingState next = workers == 1 ? mean : outer.step(start, mean);
        long t3 = System.nanoTime();
        double seconds = (t3 - t0) / 1e9;
        double sync = Math.max(0, seconds - sum.maxComputeNanos() / 1e9);
        ReplicaTimes last = sum.lastFinished();
        RoundPhases phases = RoundPhases.of(t3 - t0, serialiseNanos, submitMillis, last,
                last.host().equals(ReplicaTask.hostName()), sum.combineNanos(), t2 - t1, t3 - t2);
        return new Result(next, sum.losses(), seconds, sync, phases, AllreduceTimes.NONE, GradientNoise.NONE);
    }
}
