package wgangp.eval;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import wgangp.data.IdxImages;
import wgangp.data.Shards;
import wgangp.train.Seeds;

/**
 * Scores sets of 28×28 digits against the held-out MNIST images with one classifier: the held-out
 * statistics and the classifier's accuracy are computed once, the real-vs-real floor once per
 * sample count, then each set of samples costs one pass over its own images.
 */
public final class Evaluator implements AutoCloseable {
    private final JavaSparkContext sc;
    private final Broadcast<ClassifierWeights> weights;
    private final MnistData data;
    private final long seed;
    private final FeatureStatistics heldOut;
    private final double classifierAccuracy;
    private final Map<Integer, Double> floors = new HashMap<>();

    public Evaluator(JavaSparkContext sc, DigitClassifier classifier, MnistData data, long seed) {
        this.sc = sc;
        this.weights = sc.broadcast(classifier.weights());
        this.data = data;
        this.seed = seed;
        IdxImages real = data.heldOut();
        ImageScoring.Scored scored = ImageScoring.score(sc, weights, real.pixels(), real.count(), "held-out images");
        this.heldOut = scored.statistics();
        int[] labels = new int[real.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.heldOutLabels().label(i);
        }
        this.classifierAccuracy = ClassMetrics.accuracy(scored.probabilities(), labels);
    }

    public double classifierAccuracy() {
        return classifierAccuracy;
    }

    public int heldOutCount() {
        return data.heldOut().count();
    }

    /**
     * FID of {@code count} training images (a seeded random subset, all of them if there are
     * fewer) against the held-out images: the score of real digits at this sample size, which
     * the FID of generated digits is to be read against.
     */
    public double floor(int count) {
        return floors.computeIfAbsent(count, n -> {
            IdxImages train = data.train();
            int size = Math.min(n, train.count());
            int[] order = Shards.permutation(train.count(), Seeds.realSubset(seed));
            byte[] pixels = new byte[size * DigitClassifier.PIXELS];
            for (int i = 0; i < size; i++) {
                System.arraycopy(train.pixels(), order[i] * DigitClassifier.PIXELS, pixels, i * DigitClassifier.PIXELS,
                        DigitClassifier.PIXELS);
            }
            return FrechetDistance.between(
                    ImageScoring.score(sc, weights, pixels, size, "training subset").statistics(), heldOut);
        });
    }

    /**
     * Evaluates {@code count} images of uint8 pixels; the checkpoint fields go into the result as
     * given (null for a file of samples).
     */
    public EvaluationResult evaluate(byte[] pixels, int count, String checkpoint, Long generatorSteps,
                                     Long criticIters) {
        ImageScoring.Scored scored = ImageScoring.score(sc, weights, pixels, count, "samples");
        int[] histogram = ClassMetrics.histogram(scored.probabilities(), DigitClassifier.CLASSES);
        return new EvaluationResult(checkpoint, generatorSteps, criticIters, count, heldOutCount(),
                FrechetDistance.between(scored.statistics(), heldOut), floor(count), histogram,
                ClassMetrics.modesCovered(histogram), ClassMetrics.meanConfidence(scored.probabilities()),
                classifierAccuracy, seed);
    }

    @Override
    public void close() {
        weights.destroy();
    }
}
