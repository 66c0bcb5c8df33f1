package wgangp.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import wgangp.data.BroadcastPartitions;
import wgangp.data.Shard;
import wgangp.train.NativeThreads;

/**
 * Runs the classifier over a set of images on the executors: the images are cut into one
 * contiguous part per partition, each executor rebuilds the network from the broadcast weights
 * and scores its part, the features are reduced to their {@link FeatureStatistics} there, and
 * only the class probabilities (10 floats an image) come back to the driver, in image order.
 */
public final class ImageScoring {
    private ImageScoring() {
    }

    /** The statistics of the images' features and each image's class probabilities. */
    public record Scored(FeatureStatistics statistics, float[][] probabilities) {
    }

    public static Scored score(JavaSparkContext sc, Broadcast<ClassifierWeights> weights, byte[] pixels, int count,
                               String name) {
        if ((long) count * DigitClassifier.PIXELS != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " bytes are not " + count + " images of 28x28");
        }
        int parts = Math.max(1, Math.min(sc.defaultParallelism(), count / 2));
        try (BroadcastPartitions<Shard> images = BroadcastPartitions.of(sc, split(pixels, count, parts), name)) {
            JavaRDD<DigitClassifier.Scores> scores = images.rdd().map(part -> {
                TaskContext task = TaskContext.get();
                NativeThreads.set(task == null ? 1 : Math.max(1, task.cpus()));
                return DigitClassifier.of(weights.value()).score(part.pixels(), part.count());
            }).setName(name + " scores").persist(StorageLevel.MEMORY_ONLY());
            try {
                FeatureStatistics statistics = FeatureStatistics.of(
                        scores.flatMap(s -> Arrays.asList(s.features()).iterator()), DigitClassifier.FEATURES);
                List<float[][]> parted = scores.map(DigitClassifier.Scores::probabilities).collect();
                float[][] probabilities = new float[count][];
                int at = 0;
                for (float[][] p : parted) {
                    System.arraycopy(p, 0, probabilities, at, p.length);
                    at += p.length;
                }
                return new Scored(statistics, probabilities);
            } finally {
                scores.unpersist(false);
            }
        }
    }

    private static List<Shard> split(byte[] pixels, int count, int parts) {
        List<Shard> shards = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) p * count / parts);
            int to = (int) ((long) (p + 1) * count / parts);
            shards.add(new Shard(p, to - from, DigitClassifier.PIXELS, Arrays.copyOfRange(pixels,
                    from * DigitClassifier.PIXELS, to * DigitClassifier.PIXELS)));
        }
        return shards;
    }
}
