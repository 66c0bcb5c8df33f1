package wgangp.eval;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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
        Path dir;
        FileSystem fs;
        try {
            dir = new Path(uri);
            fs = dir.getFileSystem(conf);
            dir = fs.makeQualified(dir);
            if (!fs.getFileStatus(dir).isDirectory()) {
                throw new InvalidDataException("MNIST data " + dir + " is a file; pass the directory holding the"
                        + " train-* and t10k-* IDX files.");
            }
        } catch (FileNotFoundException e) {
            throw new InvalidDataException("MNIST directory " + uri + " does not exist; pass the directory holding"
                    + " the train-* and t10k-* IDX files.", e);
        } catch (IllegalArgumentException | IOException e) {
            throw new InvalidDataException("MNIST directory '" + uri + "' cannot be opened (" + e.getMessage()
                    + "); check the path and its URI scheme.", e);
        }
        IdxImages train = IdxReader.readImages(file(fs, dir, "train-images-idx3-ubyte"), conf);
        IdxLabels trainLabels = IdxReader.readLabels(file(fs, dir, "train-labels-idx1-ubyte"), conf);
        IdxImages heldOut = IdxReader.readImages(file(fs, dir, "t10k-images-idx3-ubyte"), conf);
        IdxLabels heldOutLabels = IdxReader.readLabels(file(fs, dir, "t10k-labels-idx1-ubyte"), conf);
        ClassifierTraining.checkDigits(train, trainLabels);
        ClassifierTraining.checkDigits(heldOut, heldOutLabels);
        return new MnistData(dir, train, trainLabels, heldOut, heldOutLabels);
    }

    private static String file(FileSystem fs, Path dir, String name) {
        for (String candidate : new String[] {name, name + ".gz"}) {
            Path path = new Path(dir, candidate);
            try {
                FileStatus status = fs.getFileStatus(path);
                if (status.isFile()) {
                    return path.toString();
                }
            } catch (FileNotFoundException e) {
                // try the other spelling
            } catch (IOException e) {
                throw new InvalidDataException("IDX file " + path + " cannot be read (" + e.getMessage()
                        + "); check that it is readable by the user running the job.", e);
            }
        }
        throw new InvalidDataException("MNIST directory " + dir + " holds neither " + name + " nor " + name + ".gz;"
                + " evaluate needs the training and the held-out (t10k) images and labels there.");
    }
}
