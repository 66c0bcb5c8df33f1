package wgangp.distributed;

import java.io.Serializable;

/**
 * Where one replica's task spent its time in a round, measured on its executor.
 *
 * @param host           the executor's host name; the driver trusts {@link #startMillis} only on its own host
 * @param startMillis    wall-clock time the task began running the replica
 * @param broadcastNanos fetching and deserialising the broadcast start state ({@code value()})
 * @param setupNanos     checking the BLAS kernel, binding the GPU and building the replica
 * @param computeNanos   the replica's generator steps
 */
record ReplicaTimes(String host, long startMillis, long broadcastNanos, long setupNanos, long computeNanos)
        implements Serializable {

    /** Wall-clock time the replica's state was ready to return. */
    double finishMillis() {
        return startMillis + (broadcastNanos + setupNanos + computeNanos) / 1e6;
    }

    /** The one of two that finished later: the round's critical path runs through it. */
    static ReplicaTimes later(ReplicaTimes a, ReplicaTimes b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.finishMillis() > a.finishMillis() ? b : a;
    }
}
