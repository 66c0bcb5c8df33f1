package wgangp.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

/**
 * Reads unsigned-byte IDX files (the MNIST format), plain or gzip-compressed, from any Hadoop
 * FileSystem. Every way a file can be wrong ends in an {@link InvalidDataException} naming it.
 */
public final class IdxReader {

    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    /** Far above MNIST's 784; a bigger value means a header that was not written for images. */
    static final int MAX_PIXELS_PER_IMAGE = 1 << 16;

    private static final int UNSIGNED_BYTE_TYPE = 0x08;
    // Some JVMs reserve a few header words in arrays, so the largest safe length is a little below 2^31.
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final int FIRST_CHUNK = 1 << 20;
    /** What messages call the input. */
    private static final String FILE = "IDX file";

    private IdxReader() {
    }

    /** Reads an IDX3 image file (magic 0x00000803). */
    public static IdxImages readImages(String uriOrPath, Configuration conf) {
        try (Input in = Input.open(uriOrPath, conf)) {
            int[] dims = in.header(IMAGES_MAGIC, "image", "pass the train-images-idx3-ubyte file");
            int count = dims[0];
            int rows = dims[1];
            int cols = dims[2];
            if (count <= 0) {
                throw in.invalid("declares " + count + " images", "a valid file declares at least one");
            }
            if (rows <= 0 || cols <= 0) {
                throw in.invalid("declares images of " + rows + "x" + cols + " pixels",
                        "rows and columns must both be positive");
            }
            if ((long) rows * cols > MAX_PIXELS_PER_IMAGE) {
                throw in.invalid("declares images of " + rows + "x" + cols + " pixels, more than the "
                        + MAX_PIXELS_PER_IMAGE + " this reader accepts",
                        "check that it really is an image file");
            }
            byte[] pixels = in.body((long) count * rows * cols, count + " images of " + rows + "x" + cols);
            return new IdxImages(in.source, count, rows, cols, pixels);
        }
    }

    /** Reads an IDX1 label file (magic 0x00000801). */
    public static IdxLabels readLabels(String uriOrPath, Configuration conf) {
        try (Input in = Input.open(uriOrPath, conf)) {
            int count = in.header(LABELS_MAGIC, "label", "pass the train-labels-idx1-ubyte file")[0];
            if (count <= 0) {
                throw in.invalid("declares " + count + " labels", "a valid file declares at least one");
            }
            byte[] labels = in.body(count, count + " labels");
            return new IdxLabels(in.source, count, labels);
        }
    }

    /** Fails unless there is exactly one label per image. */
    public static void checkSameCount(IdxImages images, IdxLabels labels) {
        if (images.count() != labels.count()) {
            throw new InvalidDataException("IDX image file " + images.source() + " holds " + images.count()
                    + " images but label file " + labels.source() + " holds " + labels.count()
                    + " labels; pass the label file that belongs to these images.");
        }
    }

    /** One open IDX file: the stream past any gzip layer, and the name used in messages. */
    private static final class Input implements AutoCloseable {

        final HadoopInput file;
        final String source;
        final boolean gzip;
        private final InputStream in;

        private Input(HadoopInput file, boolean gzip, InputStream in) {
            this.file = file;
            this.source = file.toString();
            this.gzip = gzip;
            this.in = in;
        }

        static Input open(String uriOrPath, Configuration conf) {
            HadoopInput file = HadoopInput.resolve(FILE, uriOrPath, conf);
            String source = file.toString();
            FileStatus status = file.status().orElseThrow(() -> new InvalidDataException(
                    FILE + " " + source + " does not exist; check the path."));
            if (status.isDirectory()) {
                throw new InvalidDataException(FILE + " " + source + " is a directory, expected an IDX file;"
                        + " pass the file inside it, or pass the directory as the data location.");
            }
            if (status.getLen() == 0) {
                throw new InvalidDataException(FILE + " " + source + " is empty; re-download or regenerate it.");
            }
            InputStream raw = file.open();
            try {
                boolean gzip = file.path().getName().endsWith(".gz") || startsWithGzipMagic(raw);
                InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
                return new Input(file, gzip, in);
            } catch (IOException e) {
                closeQuietly(raw);
                throw readFailure(file, true, e);
            } catch (RuntimeException e) {
                closeQuietly(raw);
                throw e;
            }
        }

        /** Reads and checks the magic number and the dimension sizes that follow it. */
        int[] header(int expectedMagic, String kind, String hint) {
            int dimensions = expectedMagic & 0xff;
            byte[] magicBytes = read(4);
            if (magicBytes.length == 0 && gzip) {
                throw invalid("is empty after decompression", "re-download or regenerate it");
            }
            if (magicBytes.length < 4) {
                throw truncatedHeader(magicBytes.length, 4 + 4 * dimensions);
            }
            int magic = toInt(magicBytes, 0);
            if (magic != expectedMagic) {
                String otherKind = magic == IMAGES_MAGIC ? " (which marks an IDX image file)"
                        : magic == LABELS_MAGIC ? " (which marks an IDX label file)" : "";
                throw invalid(String.format("has magic number 0x%08x%s, expected 0x%08x for an IDX %s file",
                        magic, otherKind, expectedMagic, kind), hint);
            }
            byte[] sizes = read(4 * dimensions);
            if (sizes.length < 4 * dimensions) {
                throw truncatedHeader(4 + sizes.length, 4 + 4 * dimensions);
            }
            int[] dims = new int[dimensions];
            for (int i = 0; i < dimensions; i++) {
                dims[i] = toInt(sizes, 4 * i);
            }
            return dims;
        }

        /** Reads exactly {@code expected} bytes and checks that nothing follows them. */
        byte[] body(long expected, String what) {
            if (expected > MAX_ARRAY_LENGTH) {
                throw invalid("declares " + what + ", " + expected + " bytes, more than one Java array can hold",
                        "split the data into smaller files");
            }
            // Grow as the data arrives so a corrupt header cannot make us allocate gigabytes up front.
            byte[] data = new byte[(int) Math.min(expected, FIRST_CHUNK)];
            int filled = 0;
            try {
                while (filled < expected) {
                    if (filled == data.length) {
                        data = Arrays.copyOf(data, (int) Math.min(expected, 2L * data.length));
                    }
                    int n = in.read(data, filled, data.length - filled);
                    if (n < 0) {
                        break;
                    }
                    filled += n;
                }
                if (filled < expected) {
                    throw invalid("is truncated: its header declares " + what + ", which needs " + expected
                            + " bytes of data, but only " + filled + " bytes were found",
                            "re-download or regenerate it");
                }
                // Reading to the end also makes GZIPInputStream verify the CRC in the gzip trailer.
                long extra = 0;
                byte[] skip = new byte[8192];
                for (int n; (n = in.read(skip)) >= 0; ) {
                    extra += n;
                }
                if (extra > 0) {
                    throw invalid("has " + extra + " extra bytes after the " + what + " its header declares",
                            "the file is corrupt or its header count is wrong, so regenerate it");
                }
            } catch (IOException e) {
                throw readFailure(file, gzip, e);
            }
            return data;
        }

        InvalidDataException invalid(String problem, String remedy) {
            return new InvalidDataException(FILE + " " + source + " " + problem + "; " + remedy + ".");
        }

        private InvalidDataException truncatedHeader(int found, int expected) {
            return invalid("has a truncated header: " + found + " of the " + expected + " header bytes are present",
                    "re-download or regenerate it");
        }

        private byte[] read(int n) {
            try {
                return in.readNBytes(n);
            } catch (IOException e) {
                throw readFailure(file, gzip, e);
            }
        }

        @Override
        public void close() {
            closeQuietly(in);
        }
    }

    private static boolean startsWithGzipMagic(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static InvalidDataException readFailure(HadoopInput file, boolean gzip, IOException e) {
        // Inflater errors surface as ZipException, a stream cut short as EOFException.
        if (gzip && (e instanceof ZipException || e instanceof EOFException)) {
            return new InvalidDataException(FILE + " " + file + " is not a valid gzip stream (" + e.getMessage()
                    + "); re-download it or decompress it to check it.", e);
        }
        return file.unreadable(e);
    }

    private static int toInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the data was already read or the read already failed.
        }
    }
}
