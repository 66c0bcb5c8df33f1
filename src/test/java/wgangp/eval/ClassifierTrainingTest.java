package wgangp.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import wgangp.data.IdxImages;
import wgangp.data.IdxLabels;
import wgangp.data.IdxReader;

/** The classifier trained by parameter averaging on local[2] recognises the held-out digits. */
@Tag("integration")
class ClassifierTrainingTest {

    @Test
    void reachesTheHeldOutAccuracyTheReadmeStates() {
        Configuration conf = new Configuration();
        IdxImages train = IdxReader.readImages("data/mnist/train-images-idx3-ubyte.gz", conf);
        IdxLabels trainLabels = IdxReader.readLabels("data/mnist/train-labels-idx1-ubyte.gz", conf);
        IdxImages test = IdxReader.readImages("data/mnist/t10k-images-idx3-ubyte.gz", conf);
        IdxLabels testLabels = IdxReader.readLabels("data/mnist/t10k-labels-idx1-ubyte.gz", conf);
        JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("classifier")
                .set("spark.ui.enabled", "false"));
        try {
            long t0 = System.nanoTime();
            DigitClassifier classifier = ClassifierTraining.defaults().train(sc, train, trainLabels);
            double seconds = (System.nanoTime() - t0) / 1e9;
            float[][] p = classifier.score(test.pixels(), test.count()).probabilities();
            int correct = 0;
            for (int i = 0; i < p.length; i++) {
                correct += ClassMetrics.argmax(p[i]) == testLabels.label(i) ? 1 : 0;
            }
            double accuracy = correct / (double) p.length;
            System.err.printf("classifier: held-out accuracy %.4f after %.1f s of training%n", accuracy, seconds);
            assertTrue(accuracy >= 0.97, "held-out accuracy " + accuracy);
        } finally {
            sc.stop();
        }
    }
}
