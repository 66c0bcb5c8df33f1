package wgangp.eval;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import wgangp.data.HadoopInput;
import wgangp.data.IdxImages;
import wgangp.data.IdxLabels;
import wgangp.data.IdxReader;
import wgangp.data.InvalidDataException;

/**
 * The labelled digits an evaluation needs from one MNIST directory: the training images and
 * labels (to train the classifier and draw the real-vs-real floor from) and the held-out t10k
 * images and labels (the reference the samples are compared with). Each file may be gzipped.
 *
 * @param directory    the fully qualified directory
 * @param train        train-images-idx3-ubyte
 * @param trainLabels  train-labels-idx1-ubyte
 * @param heldOut      t10k-images-idx3-ubyte
 * @param heldOutLabels t10k-labels-idx1-ubyte
 */
public record MnistData(Path directory, IdxImages train, IdxLabels trainLabels, IdxImages heldOut,
                        IdxLabels heldOutLabels) {

    /** Reads and checks all four files; any problem is an {@link InvalidDataException} naming the file. */
    public static MnistData read(String uri, Configuration conf) {
        HadoopInput dir = HadoopInput.resolve("MNIST directory", uri, conf);
        FileStatus status = dir.status().orElseThrow(() -> new InvalidDataException("MNIST directory " + dir
                + " does not exist; pass the directory holding the train-* and t10k-* IDX files."));
        if (!status.isDirectory()) {
            throw new InvalidDataException("MNIST data " + dir + " is a file; pass the directory holding the"
                    + " train-* and t10k-* IDX files.");
        }
        IdxImages train = IdxReader.readImages(file(dir, "train-images-idx3-ubyte"), conf);
        IdxLabels trainLabels = IdxReader.readLabels(file(dir, "train-labels-idx1-ubyte"), conf);
        IdxImages heldOut = IdxReader.readImages(file(dir, "t10k-images-idx3-ubyte"), conf);
        IdxLabels heldOutLabels = IdxReader.readLabels(file(dir, "t10k-labels-idx1-ubyte"), conf);
        ClassifierTraining.checkDigits(train, trainLabels);
        ClassifierTraining.checkDigits(heldOut, heldOutLabels);
        return new MnistData(dir.path(), train, trainLabels, heldOut, heldOutLabels);
    }

    private static String file(HadoopInput dir, String name) {
        for (String candidate : new String[] {name, name + ".gz"}) {
            HadoopInput file = dir.child("IDX file", candidate);
            if (file.isFile()) {
                return file.toString();
            }
        }
        throw new InvalidDataException("MNIST directory " + dir + " holds neither " + name + " nor " + name + ".gz;"
                + " evaluate needs the training and the held-out (t10k) images and labels there.");
    }
}
