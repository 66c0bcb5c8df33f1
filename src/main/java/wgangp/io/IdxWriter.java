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

    public static byte[] images(float[][] images, int rows, int cols, boolean gzip) throws IOException {
        byte[] pixels = pixels(images, rows * cols);
        ByteBuffer idx = ByteBuffer.allocate(16 + pixels.length);
        idx.putInt(IdxReader.IMAGES_MAGIC).putInt(images.length).putInt(rows).putInt(cols).put(pixels);
        if (!gzip) {
            return idx.array();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(idx.array());
        }
        return out.toByteArray();
    }

    /**
     * The uint8 pixels of the images, one after another: pixel = round((x + 1) · 127.5), clamped
     * to [0, 255]; the PyTorch reference writes the same.
     */
    public static byte[] pixels(float[][] images, int pixelsPerImage) {
        byte[] pixels = new byte[images.length * pixelsPerImage];
        int at = 0;
        for (float[] image : images) {
            if (image.length != pixelsPerImage) {
                throw new IllegalArgumentException("an image has " + image.length + " pixels, expected " + pixelsPerImage);
            }
            for (float x : image) {
                pixels[at++] = (byte) Math.round(Math.max(0f, Math.min(255f, (x + 1f) * 127.5f)));
            }
        }
        return pixels;
    }
}
