package wgangp.data;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.AccessControlException;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system as a user without read permission sees it, whoever runs the test: mode
 * bits do not stop root, who runs CI, so permission tests built on them would never run there.
 * Refuses with {@link AccessControlException}, as HDFS does.
 *
 * <ul>
 *   <li>{@code unreadable://open/<local path>}: the file can be found and listed but not opened, as
 *       a file without the read bit;</li>
 *   <li>{@code unreadable://stat/<local path>}: not even its status can be read, as a file in a
 *       directory the user may not enter.</li>
 * </ul>
 *
 * Registered in {@code META-INF/services/org.apache.hadoop.fs.FileSystem} of the test classpath,
 * so every {@code Configuration}, the job's own included, resolves the scheme.
 */
public final class UnreadableFileSystem extends FileSystem {
    public static final String SCHEME = "unreadable";
    private static final String OPEN = "open";
    private static final String STAT = "stat";

    private URI uri;

    /** {@code local} as a file whose content may not be read. */
    public static String withoutRead(java.nio.file.Path local) {
        return SCHEME + "://" + OPEN + local.toAbsolutePath();
    }

    /** {@code local} as a file whose status may not be read. */
    public static String withoutStatus(java.nio.file.Path local) {
        return SCHEME + "://" + STAT + local.toAbsolutePath();
    }

    @Override
    public void initialize(URI name, org.apache.hadoop.conf.Configuration conf) throws IOException {
        super.initialize(name, conf);
        if (!OPEN.equals(name.getAuthority()) && !STAT.equals(name.getAuthority())) {
            throw new IllegalArgumentException(name + ": the authority must be " + OPEN + " or " + STAT);
        }
        uri = URI.create(SCHEME + "://" + name.getAuthority());
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        if (STAT.equals(uri.getAuthority())) {
            throw denied(f, "EXECUTE");
        }
        File local = new File(f.toUri().getPath());
        if (!local.exists()) {
            throw new FileNotFoundException("File " + f + " does not exist");
        }
        return new FileStatus(local.isDirectory() ? 0 : local.length(), local.isDirectory(), 1, 4096,
                local.lastModified(), makeQualified(f));
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        throw denied(f, "READ");
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        throw denied(f, "READ_EXECUTE");
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        throw denied(f, "WRITE");
    }

    @Override
    public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) throws IOException {
        throw denied(f, "WRITE");
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        throw denied(src, "WRITE");
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
        throw denied(f, "WRITE");
    }

    @Override
    public boolean mkdirs(Path f, FsPermission permission) throws IOException {
        throw denied(f, "WRITE");
    }

    @Override
    public void setWorkingDirectory(Path dir) {
        throw new UnsupportedOperationException(SCHEME + " has only absolute paths");
    }

    @Override
    public Path getWorkingDirectory() {
        return new Path(uri + "/");
    }

    /** The words HDFS uses, so a message under test reads like the real one. */
    private static AccessControlException denied(Path f, String access) {
        return new AccessControlException("Permission denied: user=nobody, access=" + access + ", inode=\""
                + f.toUri().getPath() + "\"");
    }
}
