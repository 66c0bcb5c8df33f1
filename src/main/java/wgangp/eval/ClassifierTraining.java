package wgangp.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.data.BroadcastPartitions;
import wgangp.data.IdxImages;
import wgangp.data.IdxLabels;
import wgangp.data.IdxReader;
import wgangp.data.InvalidDataException;
import wgangp.data.Shards;
import wgangp.train.NativeThreads;

/**
 * Trains the {@link DigitClassifier} on the cluster with dl4j-spark's parameter averaging: each
 * worker fits {@code averagingFrequency} minibatches of {@code batch} images on its part of the
 * data, then the parameters and the Adam state are averaged, for {@code epochs} passes.
 *
 * @param epochs             passes over the training images
 * @param batch              minibatch per worker
 * @param averagingFrequency minibatches between averages
 * @param learningRate       Adam's step size
 * @param seed               initial weights and the order of the examples
 */
public record ClassifierTraining(int epochs, int batch, int averagingFrequency, double learningRate, long seed) {

    /**
     * The settings the cached classifier is trained with (README: "Evaluating a run"); the seed is
     * fixed so that the classifier, and with it the feature space, does not depend on an
     * evaluation's --seed.
     */
    public static ClassifierTraining defaults() {
        return new ClassifierTraining(8, 32, 20, 2e-3, 1);
    }

    public ClassifierTraining {
        if (epochs < 1 || batch < 1 || averagingFrequency < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("classifier training needs epochs, batch and averagingFrequency >= 1"
                    + " and a positive learning rate, got " + epochs + ", " + batch + ", " + averagingFrequency
                    + ", " + learningRate);
        }
    }

    public DigitClassifier train(JavaSparkContext sc, IdxImages images, IdxLabels labels) {
        checkDigits(images, labels);
        int workers = sc.defaultParallelism();
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, batch)
                .batchSizePerWorker(batch)
                .averagingFrequency(averagingFrequency)
                .saveUpdater(true)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                // the chunks are dealt evenly, one per worker, already; a shuffle per round cost more than the fitting
                .repartionData(Repartition.Never)
                // the level the minibatches are already cached at: dl4j-spark persists them again
                .storageLevel(StorageLevel.MEMORY_ONLY())
                .rngSeed(seed)
                .build();
        DigitClassifier classifier = DigitClassifier.untrained(seed, learningRate);
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, classifier.network(), master);
        try (BroadcastPartitions<LabelledChunk> chunks = BroadcastPartitions.of(sc, chunks(images, labels, workers),
                "classifier training images")) {
            JavaRDD<DataSet> minibatches = chunks.rdd().flatMap(new Minibatches(batch))
                    .persist(StorageLevel.MEMORY_ONLY());
            try {
                for (int epoch = 0; epoch < epochs; epoch++) {
                    spark.fit(minibatches);
                }
            } finally {
                minibatches.unpersist(false);
                master.deleteTempFiles(sc);
            }
        }
        return DigitClassifier.of(spark.getNetwork(), "the classifier just trained");
    }

    static void checkDigits(IdxImages images, IdxLabels labels) {
        if (images.rows() != DigitClassifier.SIDE || images.cols() != DigitClassifier.SIDE) {
            throw new InvalidDataException("IDX file " + images.source() + " holds " + images.rows() + "x"
                    + images.cols() + " images; the classifier needs 28x28 MNIST digits.");
        }
        IdxReader.checkSameCount(images, labels);
        for (int i = 0; i < labels.count(); i++) {
            if (labels.label(i) >= DigitClassifier.CLASSES) {
                throw new InvalidDataException("IDX label file " + labels.source() + " holds label "
                        + labels.label(i) + " at index " + i + "; digit labels are 0 to 9.");
            }
        }
    }

    /** The examples in a seeded random order, dealt into one contiguous chunk per worker. */
    private List<LabelledChunk> chunks(IdxImages images, IdxLabels labels, int workers) {
        int n = images.count();
        int[] order = Shards.permutation(n, seed);
        List<LabelledChunk> chunks = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            int from = (int) ((long) w * n / workers);
            int to = (int) ((long) (w + 1) * n / workers);
            byte[] pixels = new byte[(to - from) * DigitClassifier.PIXELS];
            byte[] classes = new byte[to - from];
            for (int i = from; i < to; i++) {
                System.arraycopy(images.pixels(), order[i] * DigitClassifier.PIXELS, pixels,
                        (i - from) * DigitClassifier.PIXELS, DigitClassifier.PIXELS);
                classes[i - from] = (byte) labels.label(order[i]);
            }
            chunks.add(new LabelledChunk(pixels, classes));
        }
        return chunks;
    }

    /** Images with their labels, compact for shipping. */
    record LabelledChunk(byte[] pixels, byte[] labels) implements Serializable {
    }

    /** A chunk as one-hot labelled minibatches, built on the executor that holds it. */
    private record Minibatches(int batch) implements FlatMapFunction<LabelledChunk, DataSet> {
        @Override
        public Iterator<DataSet> call(LabelledChunk chunk) {
            TaskContext task = TaskContext.get();
            NativeThreads.set(task == null ? 1 : Math.max(1, task.cpus()));
            int n = chunk.labels().length;
            List<DataSet> out = new ArrayList<>();
            for (int from = 0; from < n; from += batch) {
                int count = Math.min(batch, n - from);
                float[] oneHot = new float[count * DigitClassifier.CLASSES];
                for (int i = 0; i < count; i++) {
                    oneHot[i * DigitClassifier.CLASSES + chunk.labels()[from + i]] = 1f;
                }
                out.add(new DataSet(DigitClassifier.input(chunk.pixels(), from, count),
                        Nd4j.createFromArray(oneHot).reshape(count, DigitClassifier.CLASSES)));
            }
            return out.iterator();
        }
    }
}
