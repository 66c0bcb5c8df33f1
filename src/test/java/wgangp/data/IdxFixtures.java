package wgangp.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files byte by byte, so tests can break them in exactly one way. */
public final class IdxFixtures {

    public static final int IMAGES_MAGIC = IdxReader.IMAGES_MAGIC;
    public static final int LABELS_MAGIC = IdxReader.LABELS_MAGIC;

    public static final Path BUNDLED = Path.of("data", "mnist");

    private IdxFixtures() {
    }

    public static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer buf = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        buf.putInt(magic);
        for (int d : dims) {
            buf.putInt(d);
        }
        buf.put(data);
        return buf.array();
    }

    public static byte[] images(int count, int rows, int cols) {
        byte[] pixels = new byte[count * rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        return idx(IdxReader.IMAGES_MAGIC, new int[] {count, rows, cols}, pixels);
    }

    public static byte[] labels(int count) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        return idx(IdxReader.LABELS_MAGIC, new int[] {count}, labels);
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(Path file) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
