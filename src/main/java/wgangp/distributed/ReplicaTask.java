package wgangp.distributed;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import wgangp.data.Shard;
import wgangp.train.LocalTrainer;
import wgangp.train.NativeKernels;
import wgangp.train.NativeThreads;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;

/**
 * The work of one partition in one round: {@link LocalTrainer#runRound} on the partition's shard
 * from the broadcast state, on the GPU Spark assigned to the task if it has one ({@link TaskGpu}),
 * after checking that its JVM computes with the run's native kernels ({@link NativeKernels}). It holds
 * only a config record, a broadcast handle, four numbers and the kernels' names, does no I/O, and
 * draws its randomness from (seed, round, partition), so a retried attempt returns the same bytes.
 */
final class ReplicaTask implements FlatMapFunction<Iterator<Shard>, ReplicaSum> {
    private static final long serialVersionUID = 1L;

    private final WganGpConfig config;
    private final Broadcast<TrainingState> start;
    private final long seed;
    private final long round;
    private final int generatorSteps;
    private final NativeKernels kernels;

    ReplicaTask(WganGpConfig config, Broadcast<TrainingState> start, long seed, long round, int generatorSteps,
                NativeKernels kernels) {
        this.config = config;
        this.kernels = kernels;
        this.start = start;
        this.seed = seed;
        this.round = round;
        this.generatorSteps = generatorSteps;
    }

    @Override
    public Iterator<ReplicaSum> call(Iterator<Shard> shards) {
        if (!shards.hasNext()) {
            return Collections.emptyIterator();
        }
        Shard shard = onlyShard(shards);
        long startMillis = System.currentTimeMillis();
        long t0 = System.nanoTime();
        String host = hostName();
        prepareJvm(TaskContext.get(), kernels, host);
        long t1 = System.nanoTime();
        TrainingState state = start.value();
        long t2 = System.nanoTime();
        LocalTrainer.RoundOutcome outcome = LocalTrainer.runRound(config, state, shard.matrix(), seed, round,
                shard.index(), generatorSteps);
        // The checks count as set-up: start + broadcast + set-up + compute is when the state was ready.
        ReplicaTimes times = new ReplicaTimes(host, startMillis, t2 - t1, (t1 - t0) + outcome.setupNanos(),
                outcome.computeNanos());
        return List.of(ReplicaSum.of(outcome.state(), outcome.losses(), times)).iterator();
    }

    /** The partition's one shard. */
    static Shard onlyShard(Iterator<Shard> shards) {
        Shard shard = shards.next();
        if (shards.hasNext()) {
            throw new IllegalStateException("partition of " + shard + " holds more than one shard");
        }
        return shard;
    }

    /**
     * Readies this executor JVM for a replica: the task's GPU, the run's native kernels, one native
     * thread per task CPU. A task on a JVM with other kernels would return other bytes than its
     * retry elsewhere: it fails (Spark retries it, then stops the job with this message) rather
     * than diverge.
     */
    static void prepareJvm(TaskContext task, NativeKernels kernels, String host) {
        TaskGpu.bind(task);
        kernels.require(whereAmI(host));
        NativeThreads.set(task == null ? 1 : Math.max(1, task.cpus()));
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "(unknown host)";
        }
    }

    /** "executor 3 on host h", for messages about this JVM. */
    private static String whereAmI(String host) {
        SparkEnv env = SparkEnv.get();
        return "executor " + (env == null ? "?" : env.executorId()) + " on host " + host;
    }
}
