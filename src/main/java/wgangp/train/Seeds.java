package wgangp.train;

/**
 * Derives independent seeds from the run's seed with SplitMix64's finaliser, so that every random
 * stream of a run is a pure function of (seed, what it is for). A retried Spark task therefore
 * draws exactly what the first attempt drew.
 */
public final class Seeds {
    /** 2^64 / φ, SplitMix64's increment. */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final long REPLICA_STREAM = 1;
    private static final long SHARD_STREAM = 2;
    private static final long SAMPLE_NOISE_STREAM = 3;
    private static final long REAL_SUBSET_STREAM = 4;

    private Seeds() {
    }

    /** SplitMix64's output function: a bijection on 64-bit values with good avalanche. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Seed of one replica's round: minibatches, z and ε of partition {@code partition} in round {@code round}. */
    public static long replica(long seed, long round, int partition) {
        return combine(combine(combine(seed, REPLICA_STREAM), round), partition);
    }

    /** Seed of the permutation that deals the images into shards. */
    public static long shards(long seed) {
        return combine(seed, SHARD_STREAM);
    }

    /** Seed of the fixed noise batch behind every sample grid of a run. */
    public static long sampleNoise(long seed) {
        return combine(seed, SAMPLE_NOISE_STREAM);
    }

    /** Seed of the choice of training images an evaluation measures its real-vs-real floor with. */
    public static long realSubset(long seed) {
        return combine(seed, REAL_SUBSET_STREAM);
    }

    private static long combine(long state, long value) {
        return mix64(mix64(state + GAMMA) ^ (value * GAMMA + GAMMA));
    }
}
