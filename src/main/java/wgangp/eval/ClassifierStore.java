package wgangp.eval;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import wgangp.data.InvalidDataException;
import wgangp.io.AtomicFiles;

/**
 * The trained classifier cached as a DL4J model zip (configuration and parameters, no updater
 * state) on any Hadoop FileSystem, by default beside the data it was trained on, so that every
 * evaluation of every run measures in the same feature space.
 */
public final class ClassifierStore {
    /** Where the classifier lives unless --classifier says otherwise, relative to the MNIST directory. */
    public static final String DEFAULT_PATH = "classifier/mnist-cnn.zip";

    private ClassifierStore() {
    }

    /**
     * The classifier at {@code path}, or empty when there is none. A file that is there but is not
     * a readable classifier of this job's shape is refused rather than overwritten.
     */
    public static Optional<DigitClassifier> load(FileSystem fs, Path path) {
        MultiLayerNetwork network;
        try (InputStream in = fs.open(path)) {
            network = ModelSerializer.restoreMultiLayerNetwork(in, false);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new InvalidDataException("classifier " + path + " cannot be loaded (" + e.getMessage()
                    + "); delete it to have a new one trained.", e);
        }
        try {
            return Optional.of(DigitClassifier.of(network, "classifier " + path));
        } catch (IllegalArgumentException e) {
            throw new InvalidDataException(e.getMessage() + ".", e);
        }
    }

    /** Writes the classifier to a temporary file beside {@code path} and renames it into place. */
    public static void save(FileSystem fs, Path path, DigitClassifier classifier) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(classifier.network(), bytes, false);
        AtomicFiles.write(fs, path, bytes.toByteArray());
    }
}
