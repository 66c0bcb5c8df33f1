package wgangp.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Deals the images into one balanced shard per worker and makes the cached RDD the rounds run on.
 *
 * <p>The images are read on the driver and parallelized from there: MNIST-sized data (47 MB of
 * pixels for 60,000 images) fits the driver easily, and shipping raw bytes once is cheaper than
 * every executor reading and decoding the whole (possibly gzipped) IDX file. Data sets far larger
 * than driver memory would need each partition to read its own byte range instead.
 */
public final class Shards {
    private Shards() {
    }

    /**
     * Splits the images into {@code workers} shards whose sizes differ by at most one, after a
     * permutation drawn from {@code permutationSeed} (so a file sorted by class still gives every
     * worker a fair mix). The same arguments always give the same shards.
     */
    public static List<Shard> split(IdxImages images, int workers, long permutationSeed) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        int n = images.count();
        if (n < workers) {
            throw new IllegalArgumentException("workers=" + workers + " is more than the " + n + " images in "
                    + images.source() + "; every worker needs at least one image");
        }
        int[] order = permutation(n, permutationSeed);
        int p = images.pixelsPerImage();
        List<Shard> shards = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            int from = (int) ((long) w * n / workers);
            int to = (int) ((long) (w + 1) * n / workers);
            byte[] pixels = new byte[(to - from) * p];
            for (int i = from; i < to; i++) {
                System.arraycopy(images.pixels(), order[i] * p, pixels, (i - from) * p, p);
            }
            shards.add(new Shard(w, to - from, p, pixels));
        }
        return shards;
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates), a pure function of the seed. */
    public static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * One partition per shard, shard i in partition i, kept in executor memory across rounds; each
     * shard travels once, in its own broadcast ({@link BroadcastPartitions}). Call
     * {@link BroadcastPartitions#close} when training is over.
     */
    public static BroadcastPartitions<Shard> distribute(JavaSparkContext sc, List<Shard> shards) {
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).index() != i) {
                throw new IllegalArgumentException("shards must be numbered 0, 1, ... in order, got " + shards);
            }
        }
        return BroadcastPartitions.of(sc, shards, "training shards");
    }
}
