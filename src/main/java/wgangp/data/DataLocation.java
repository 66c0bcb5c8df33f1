package wgangp.data;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

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
    /** What messages call the location. */
    private static final String WHAT = "Training data location";

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
        HadoopInput location = HadoopInput.resolve(WHAT, uri, conf);
        FileStatus status = location.status().orElseThrow(() -> new InvalidDataException(WHAT + " " + location
                + " does not exist; pass a directory holding train-images-idx3-ubyte[.gz] or the image file itself."));
        if (status.isDirectory()) {
            HadoopInput images = firstFile(location, IMAGE_NAMES).orElseThrow(() -> new InvalidDataException(
                    "Training data directory " + location + " holds neither " + String.join(" nor ", IMAGE_NAMES)
                    + "; put the training images there under one of those names or pass the image file itself."));
            return new DataLocation(images.toString(), firstFile(location, LABEL_NAMES).map(HadoopInput::toString));
        }
        return new DataLocation(location.toString(), labelsBeside(location).map(HadoopInput::toString));
    }

    private static Optional<HadoopInput> labelsBeside(HadoopInput images) {
        String name = images.path().getName();
        if (!name.contains("images-idx3")) {
            return Optional.empty();
        }
        String labels = name.replace("images-idx3", "labels-idx1");
        // Accept the labels compressed differently from the images; people gunzip one and not the other.
        String other = labels.endsWith(".gz") ? labels.substring(0, labels.length() - 3) : labels + ".gz";
        HadoopInput dir = new HadoopInput(WHAT, images.fs(), images.path().getParent());
        return firstFile(dir, List.of(labels, other));
    }

    private static Optional<HadoopInput> firstFile(HadoopInput dir, List<String> names) {
        return names.stream().map(name -> dir.child(WHAT, name)).filter(HadoopInput::isFile).findFirst();
    }
}
