package wgangp.data;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A path given as input, on its Hadoop FileSystem. Every input (the training data, IDX files, the
 * evaluation's MNIST directory) is opened through here, so a bad URI, a missing path and a path the
 * user may not read fail with the same {@link InvalidDataException} whichever input it is.
 *
 * @param what what the path should be, as messages name it: "IDX file", "MNIST directory"
 * @param fs   the path's file system
 * @param path the fully qualified path
 */
public record HadoopInput(String what, FileSystem fs, Path path) {

    /** {@code uri} (a URI or a local path) on its file system. */
    public static HadoopInput resolve(String what, String uri, Configuration conf) {
        try {
            Path path = new Path(uri);
            FileSystem fs = path.getFileSystem(conf);
            return new HadoopInput(what, fs, fs.makeQualified(path));
        } catch (IllegalArgumentException | IOException e) {
            // Hadoop reports a malformed path, an unknown scheme and an unknown HDFS host this way.
            throw new InvalidDataException(what + " '" + uri + "' cannot be opened (" + e.getMessage()
                    + "); check the path, its URI scheme and the Hadoop configuration.", e);
        }
    }

    /** The entry {@code name} of this directory, itself an input of kind {@code what}. */
    public HadoopInput child(String what, String name) {
        return new HadoopInput(what, fs, new Path(path, name));
    }

    /** The path's status, or empty when nothing is there. */
    public Optional<FileStatus> status() {
        try {
            return Optional.of(fs.getFileStatus(path));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** Whether the path is a file (not a directory, and there). */
    public boolean isFile() {
        return status().map(FileStatus::isFile).orElse(false);
    }

    /** The file's bytes, buffered; the caller closes the stream. */
    public InputStream open() {
        try {
            return new BufferedInputStream(fs.open(path), 1 << 16);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** A failure to read the path that is not about its content: permissions, an unreachable file system. */
    public InvalidDataException unreadable(IOException e) {
        // HDFS reports permissions as AccessControlException, the local file system as
        // FileNotFoundException "(Permission denied)"; both messages already say what happened.
        return new InvalidDataException(what + " " + path + " cannot be read (" + e.getMessage()
                + "); check that it is readable by the user running the job.", e);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
