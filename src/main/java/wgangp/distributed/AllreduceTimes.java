package wgangp.distributed;

import java.io.Serializable;

/**
 * What one replica's allreduce calls cost in a round of synchronous training: the time inside them
 * and how much they moved, so that the cost model can split the time into a per-call latency and a
 * per-byte part ({@code scripts/sync-cost-model.py}).
 *
 * @param seconds time inside the collective's sums
 * @param calls   how many sums (gradients, BatchNorm statistics, the noise scale's norms)
 * @param bytes   the bytes summed, each counted once however many replicas hold them
 */
public record AllreduceTimes(double seconds, long calls, long bytes) implements Serializable {
    /** A round without an allreduce: parameter averaging, or one worker. */
    public static final AllreduceTimes NONE = new AllreduceTimes(0, 0, 0);
}
