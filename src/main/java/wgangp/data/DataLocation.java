package wgangp.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where the training images, and the labels if there are any, live.
 *
 * <p>Both are fully qualified URIs, so they mean the same file on every Spark executor whatever
 * its working directory.
 *
 * @param images the IDX image file
 * @param labels the matching IDX label file, if one was found
 */
public record DataLocation(String images, Optional<String> labels) {

    static final List<String> IMAGE_NAMES = List.of("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz");
    static final List<String> LABEL_NAMES = List.of("train-labels-idx1-ubyte", "train-labels-idx1-ubyte.gz");

    public DataLocation {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
    }

    /**
     * Resolves a directory holding {@code train-images-idx3-ubyte[.gz]} (and optionally
     * {@code train-labels-idx1-ubyte[.gz]}), or an image file whose labels, if any, sit beside it
     * under the same name with {@code images-idx3} replaced by {@code labels-idx1}.
     */
    public static DataLocation resolve(String uri, Configuration conf) {
        Path path;
        FileSystem fs;
        try {
            path = new Path(uri);
            fs = path.getFileSystem(conf);
        } catch (IllegalArgumentException | IOException e) {
            throw new InvalidDataException("Training data location '" + uri + "' cannot be opened ("
                    + e.getMessage() + "); check the path and its URI scheme.", e);
        }
        Path qualified = fs.makeQualified(path);
        FileStatus status = status(fs, qualified);
        if (status == null) {
            throw new InvalidDataException("Training data location " + qualified + " does not exist; pass a"
                    + " directory holding train-images-idx3-ubyte[.gz] or the image file itself.");
        }
        if (status.isDirectory()) {
            Path images = firstFile(fs, qualified, IMAGE_NAMES);
            if (images == null) {
                throw new InvalidDataException("Training data directory " + qualified + " holds neither "
                        + String.join(" nor ", IMAGE_NAMES) + "; put the training images there under one of"
                        + " those names or pass the image file itself.");
            }
            return new DataLocation(images.toString(), Optional.ofNullable(firstFile(fs, qualified, LABEL_NAMES))
                    .map(Path::toString));
        }
        return new DataLocation(qualified.toString(), labelsBeside(fs, qualified).map(Path::toString));
    }

    private static Optional<Path> labelsBeside(FileSystem fs, Path images) {
        String name = images.getName();
        if (!name.contains("images-idx3")) {
            return Optional.empty();
        }
        String labels = name.replace("images-idx3", "labels-idx1");
        // Accept the labels compressed differently from the images; people gunzip one and not the other.
        String other = labels.endsWith(".gz") ? labels.substring(0, labels.length() - 3) : labels + ".gz";
        return Optional.ofNullable(firstFile(fs, images.getParent(), List.of(labels, other)));
    }

    private static Path firstFile(FileSystem fs, Path dir, List<String> names) {
        for (String name : names) {
            Path candidate = new Path(dir, name);
            FileStatus status = status(fs, candidate);
            if (status != null && status.isFile()) {
                return candidate;
            }
        }
        return null;
    }

    /** The status, or null when nothing is there. */
    private static FileStatus status(FileSystem fs, Path path) {
        try {
            return fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new InvalidDataException("Training data location " + path + " cannot be read (" + e.getMessage()
                    + "); check that it is readable by the user running the job.", e);
        }
    }
}
