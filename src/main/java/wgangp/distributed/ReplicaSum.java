package wgangp.distributed;

import java.io.Serializable;
import wgangp.train.LossSums;
import wgangp.train.TrainingState;

/**
 * What a round's treeAggregate adds up: the replicas' states (element-wise, see {@link StateSum}),
 * their loss sums, how many replicas went in, and the longest time one of them spent computing.
 * {@link #EMPTY}, the zero, holds no state at all, so the aggregate's zero value costs nothing to
 * ship.
 */
record ReplicaSum(StateSum stateSum, LossSums losses, int replicas, long maxComputeNanos)
        implements Serializable {

    static final ReplicaSum EMPTY = new ReplicaSum(null, LossSums.ZERO, 0, 0);

    static ReplicaSum of(TrainingState state, LossSums losses, long computeNanos) {
        return new ReplicaSum(StateSum.of(state), losses, 1, computeNanos);
    }

    /** The mean of the replicas' states. */
    TrainingState meanState() {
        return stateSum.mean();
    }

    static ReplicaSum plus(ReplicaSum a, ReplicaSum b) {
        StateSum state = a.stateSum == null ? b.stateSum
                : b.stateSum == null ? a.stateSum : a.stateSum.plus(b.stateSum);
        return new ReplicaSum(state, a.losses.plus(b.losses), a.replicas + b.replicas,
                Math.max(a.maxComputeNanos, b.maxComputeNanos));
    }
}
