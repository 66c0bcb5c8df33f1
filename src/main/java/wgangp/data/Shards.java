package wgangp.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

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
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(permutationSeed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
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

    /**
     * One partition per shard, shard i in partition i, kept in executor memory across rounds.
     *
     * <p>Each shard travels in its own broadcast rather than inside {@code parallelize}: a
     * parallelized collection is serialized into every task that touches the RDD, which would make
     * each task megabytes large (and fail against a small {@code spark.rpc.message.maxSize}), while a
     * broadcast is fetched once per executor and the tasks carry only its handle. Call
     * {@link Distributed#close} when training is over.
     */
    public static Distributed distribute(JavaSparkContext sc, List<Shard> shards) {
        ArrayList<Broadcast<Shard>> broadcasts = new ArrayList<>(shards.size());
        List<Integer> indices = new ArrayList<>(shards.size());
        for (Shard shard : shards) {
            if (shard.index() != indices.size()) {
                throw new IllegalArgumentException("shards must be numbered 0, 1, ... in order, got " + shards);
            }
            indices.add(shard.index());
            broadcasts.add(sc.broadcast(shard));
        }
        JavaRDD<Shard> rdd = sc.parallelize(indices, indices.size())
                .map(i -> broadcasts.get(i).value())
                .setName("training shards")
                .persist(StorageLevel.MEMORY_ONLY());
        return new Distributed(rdd, broadcasts);
    }

    /** The cached shard RDD and the broadcasts it is made from. */
    public record Distributed(JavaRDD<Shard> rdd, List<Broadcast<Shard>> broadcasts) implements AutoCloseable {
        @Override
        public void close() {
            rdd.unpersist(false);
            for (Broadcast<Shard> b : broadcasts) {
                b.destroy();
            }
        }
    }
}
