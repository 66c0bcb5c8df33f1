package wgangp.distributed;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;
import wgangp.data.Shard;
import wgangp.model.ReplicaGroup;
import wgangp.train.LocalTrainer;
import wgangp.train.NativeKernels;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;

/**
 * The work of one barrier task in a synchronous segment: the task joins XGBoost's collective through
 * the tracker the driver started for this attempt of the stage, and trains its replica on its shard
 * with the gradients (and, with {@code batchNormSync}, BatchNorm's statistics) added across the
 * tasks at every step. Like a round's task it draws its randomness from (seed, segment, partition)
 * only and does no I/O, so a re-run of the stage from the same start state returns the same bytes.
 *
 * <p>The tracker's address travels in the closure rather than through the barrier context's
 * {@code allGather}, which polls once a second and so cost a second per segment. Spark does not
 * re-run a failed barrier stage that returns its results to the driver, so {@link Segment} does,
 * each time with a tracker of its own.
 */
final class SegmentTask extends AbstractFunction1<scala.collection.Iterator<Shard>, scala.collection.Iterator<SegmentResult>>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    private final WganGpConfig config;
    private final Broadcast<TrainingState> start;
    private final long seed;
    private final long round;
    private final int generatorSteps;
    private final NativeKernels kernels;
    private final boolean batchNormSync;
    private final String tracker;

    /** @param tracker the worker arguments of this attempt's tracker ({@link CollectiveTracker#workerArgs()}) */
    SegmentTask(WganGpConfig config, Broadcast<TrainingState> start, long seed, long round, int generatorSteps,
                NativeKernels kernels, boolean batchNormSync, String tracker) {
        this.tracker = tracker;
        this.config = config;
        this.start = start;
        this.seed = seed;
        this.round = round;
        this.generatorSteps = generatorSteps;
        this.kernels = kernels;
        this.batchNormSync = batchNormSync;
    }

    @Override
    public scala.collection.Iterator<SegmentResult> apply(scala.collection.Iterator<Shard> partition) {
        Iterator<Shard> shards = JavaConverters.asJavaIteratorConverter(partition).asJava();
        BarrierTaskContext task = BarrierTaskContext.get();
        int rank = task.partitionId();
        int size = task.getTaskInfos().length;
        if (!shards.hasNext()) {
            throw new IllegalStateException("barrier task " + rank + " got no shard");
        }
        Shard shard = ReplicaTask.onlyShard(shards);
        long startMillis = System.currentTimeMillis();
        long t0 = System.nanoTime();
        String host = ReplicaTask.hostName();
        ReplicaTask.prepareJvm(task, kernels, host);
        long t1 = System.nanoTime();
        TrainingState state = start.value();
        long t2 = System.nanoTime();
        LocalTrainer.RoundOutcome outcome;
        AllreduceTimes allreduce;
        long joinNanos;
        try (CollectiveGroup group = CollectiveGroup.join(tracker, rank, size)) {
            joinNanos = System.nanoTime() - t2;
            outcome = LocalTrainer.runRound(config, state, shard.matrix(), seed, round, shard.index(),
                    generatorSteps, group, batchNormSync ? group : ReplicaGroup.SINGLE);
            allreduce = group.times();
        }
        ReplicaTimes times = new ReplicaTimes(host, startMillis, t2 - t1,
                (t1 - t0) + joinNanos + outcome.setupNanos(), outcome.computeNanos());
        SegmentResult result = new SegmentResult(rank, rank == 0 ? outcome.state() : null, outcome.losses(),
                outcome.noise(), times, allreduce);
        return JavaConverters.asScalaIteratorConverter(List.of(result).iterator()).asScala();
    }
}
