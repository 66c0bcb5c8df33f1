package wgangp.distributed;

import java.util.Locale;

/** How the replicas of more than one worker train together. One worker trains the same way under both. */
public enum Parallelism {
    /**
     * Every step adds the replicas' gradients with an allreduce, inside one Spark barrier stage per
     * segment ({@link Segment}): N workers train one model on a batch of N × batch, as DDP does.
     */
    SYNCHRONOUS,
    /**
     * Each replica trains alone for a round and the driver averages their states ({@link Round}):
     * parameter averaging, for clusters where a barrier stage cannot run.
     */
    AVERAGING;

    public static Parallelism parse(String s) {
        for (Parallelism v : values()) {
            if (v.name().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("must be synchronous or averaging");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
