package wgangp.io;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * Writes on a Hadoop FileSystem that never leave a half-written file behind: the bytes go to a
 * temporary file beside the target, which is then renamed onto it.
 *
 * <p>Hadoop's {@code rename} does not replace an existing file (on HDFS and the local file system
 * it returns false), so an existing target is deleted first. Between that delete and the rename
 * the target is briefly absent, but a reader never sees it partially written. The temporary names
 * start with {@code ._tmp-} so Hadoop and Spark input formats, which skip names starting with
 * {@code .} or {@code _}, never pick one up.
 */
public final class AtomicFiles {
    /** How the names of temporary files and directories start; what a killed writer leaves behind. */
    public static final String TEMP_PREFIX = "._tmp-";

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code bytes}, creating missing parent directories. */
    public static void write(FileSystem fs, Path target, byte[] bytes) throws IOException {
        Path parent = target.getParent();
        if (parent == null || target.getName().isEmpty()) {
            throw new IOException("cannot write " + target + ": it names no file inside a directory");
        }
        Path tmp = new Path(parent, TEMP_PREFIX + target.getName() + "-" + UUID.randomUUID());
        boolean renamed = false;
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(bytes);
                // On HDFS close() alone does not wait for the datanodes to persist the data; object
                // stores have no hsync and may throw rather than ignore it, so ask first.
                if (out.hasCapability(StreamCapabilities.HSYNC)) {
                    out.hsync();
                }
            }
            if (fs.exists(target) && !fs.delete(target, false)) {
                throw new IOException("cannot replace " + target + ": deleting the old file failed");
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
            renamed = true;
        } finally {
            if (!renamed) {
                deleteQuietly(fs, tmp);
            }
        }
    }

    /** {@link #write} of the text's UTF-8 bytes. */
    public static void writeText(FileSystem fs, Path target, String text) throws IOException {
        write(fs, target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Rewrites {@code target} as its old content plus {@code line} and a newline; creates it if absent.
     *
     * <p>{@code FileSystem.append} is not used because not every Hadoop file system supports it
     * (the checksummed LocalFileSystem does not, nor do object stores), and a failed append can
     * leave a torn line. Rewriting is cheap for the small metrics files this is meant for. There
     * must be a single writer: two concurrent callers can lose each other's line.
     */
    public static void appendLine(FileSystem fs, Path target, String line) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        try (InputStream in = fs.open(target)) {
            in.transferTo(content);
        } catch (FileNotFoundException e) {
            // A first line starts the file.
        }
        content.write(line.getBytes(StandardCharsets.UTF_8));
        content.write('\n');
        write(fs, target, content.toByteArray());
    }

    /**
     * Renames a fully written directory into place, failing rather than replacing or nesting into
     * an existing one: HDFS would move {@code tmpDir} inside an existing {@code finalDir}.
     */
    public static void renameDirectory(FileSystem fs, Path tmpDir, Path finalDir) throws IOException {
        if (fs.exists(finalDir)) {
            throw new IOException("cannot rename " + tmpDir + " to " + finalDir + ": " + finalDir
                    + " already exists; remove it or choose another name");
        }
        if (!fs.getFileStatus(tmpDir).isDirectory()) {
            throw new IOException("cannot rename " + tmpDir + " to " + finalDir + ": " + tmpDir
                    + " is not a directory");
        }
        Path parent = finalDir.getParent();
        if (parent != null) {
            fs.mkdirs(parent);
        }
        if (!fs.rename(tmpDir, finalDir)) {
            throw new IOException("cannot rename " + tmpDir + " to " + finalDir);
        }
    }

    private static void deleteQuietly(FileSystem fs, Path path) {
        try {
            fs.delete(path, false);
        } catch (IOException ignored) {
            // The write already failed; that error is the one worth reporting.
        }
    }
}
