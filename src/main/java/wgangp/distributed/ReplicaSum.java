package wgangp.distributed;

import java.io.Serializable;
import wgangp.train.LossSums;
import wgangp.train.TrainingState;

/**
 * What a round's treeAggregate adds up: the replicas' states (element-wise, see {@link StateSum}),
 * their loss sums, how many replicas went in, the longest time one of them spent computing, the
 * times of the replica that finished last, and the time spent adding along the longest path of the
 * aggregation tree. {@link #EMPTY}, the zero, holds no state at all, so the aggregate's zero value
 * costs nothing to ship.
 */
record ReplicaSum(StateSum stateSum, LossSums losses, int replicas, long maxComputeNanos, ReplicaTimes lastFinished,
                  long combineNanos) implements Serializable {

    static final ReplicaSum EMPTY = new ReplicaSum(null, LossSums.ZERO, 0, 0, null, 0);

    static ReplicaSum of(TrainingState state, LossSums losses, ReplicaTimes times) {
        return new ReplicaSum(StateSum.of(state), losses, 1, times.computeNanos(), times, 0);
    }

    /** The mean of the replicas' states. */
    TrainingState meanState() {
        return stateSum.mean();
    }

    /**
     * The sum of two partial sums. The two were built in parallel, so the time spent combining
     * before this addition is the longer of theirs; this addition's own time comes on top.
     */
    static ReplicaSum plus(ReplicaSum a, ReplicaSum b) {
        long t0 = System.nanoTime();
        StateSum state = a.stateSum == null ? b.stateSum
                : b.stateSum == null ? a.stateSum : a.stateSum.plus(b.stateSum);
        LossSums losses = a.losses.plus(b.losses);
        long own = System.nanoTime() - t0;
        return new ReplicaSum(state, losses, a.replicas + b.replicas, Math.max(a.maxComputeNanos, b.maxComputeNanos),
                ReplicaTimes.later(a.lastFinished, b.lastFinished), Math.max(a.combineNanos, b.combineNanos) + own);
    }
}
