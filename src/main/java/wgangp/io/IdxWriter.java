package wgangp.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;
import wgangp.data.IdxReader;

/** Images in [−1, 1] as an IDX3 uint8 file (gzip when asked), the layout {@code IdxReader} reads. */
public final class IdxWriter {
    private IdxWriter() {
    }

    /** pixel = round((x + 1) · 127.5), clamped to [0, 255]; the PyTorch reference writes the same. */
    public static byte[] images(float[][] images, int rows, int cols, boolean gzip) throws IOException {
        ByteBuffer idx = ByteBuffer.allocate(16 + images.length * rows * cols);
        idx.putInt(IdxReader.IMAGES_MAGIC).putInt(images.length).putInt(rows).putInt(cols);
        for (float[] image : images) {
            if (image.length != rows * cols) {
                throw new IllegalArgumentException("an image has " + image.length + " pixels, expected " + rows * cols);
            }
            for (float x : image) {
                idx.put((byte) Math.round(Math.max(0f, Math.min(255f, (x + 1f) * 127.5f))));
            }
        }
        if (!gzip) {
            return idx.array();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(idx.array());
        }
        return out.toByteArray();
    }
}
