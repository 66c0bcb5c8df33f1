package wgangp.io;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Lays out images with values in [-1, 1] as one 8-bit greyscale picture, image {@code k} in grid
 * cell ({@code k / gridCols}, {@code k % gridCols}), with {@code padding} dark grey pixels between
 * cells. Cells without an image stay black.
 */
public final class ImageGrid {

    /** Not black, so the grid stays visible between digits drawn on a black background. */
    static final int PADDING_GREY = 64;

    private ImageGrid() {
    }

    /** The grid as PNG bytes. */
    public static byte[] png(float[][] images, int rows, int cols, int gridRows, int gridCols, int padding) {
        BufferedImage image = image(images, rows, cols, gridRows, gridCols, padding);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("this JVM has no ImageIO PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG to memory failed", e);
        }
        return out.toByteArray();
    }

    /** The grid as a {@link BufferedImage#TYPE_BYTE_GRAY} image. */
    public static BufferedImage image(float[][] images, int rows, int cols, int gridRows, int gridCols,
                                      int padding) {
        if (rows <= 0 || cols <= 0 || gridRows <= 0 || gridCols <= 0 || padding < 0) {
            throw new IllegalArgumentException("rows, cols, gridRows and gridCols must be positive and padding"
                    + " not negative, got " + rows + ", " + cols + ", " + gridRows + ", " + gridCols + ", " + padding);
        }
        if (images.length > gridRows * gridCols) {
            throw new IllegalArgumentException(images.length + " images do not fit a " + gridRows + "x" + gridCols
                    + " grid");
        }
        long width = (long) gridCols * cols + (long) (gridCols - 1) * padding;
        long height = (long) gridRows * rows + (long) (gridRows - 1) * padding;
        if (width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a " + width + "x" + height + " picture is too large");
        }
        BufferedImage picture = new BufferedImage((int) width, (int) height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = picture.getRaster();
        int[] grey = new int[(int) (width * height)];
        Arrays.fill(grey, PADDING_GREY);
        raster.setSamples(0, 0, (int) width, (int) height, 0, grey);

        int[] cell = new int[rows * cols];
        for (int k = 0; k < gridRows * gridCols; k++) {
            if (k < images.length) {
                float[] img = images[k];
                if (img.length != rows * cols) {
                    throw new IllegalArgumentException("image " + k + " has " + img.length + " values, expected "
                            + rows + "x" + cols);
                }
                for (int i = 0; i < cell.length; i++) {
                    cell[i] = toByte(img[i]);
                }
            } else {
                Arrays.fill(cell, 0);
            }
            int x = (k % gridCols) * (cols + padding);
            int y = (k / gridCols) * (rows + padding);
            raster.setSamples(x, y, cols, rows, 0, cell);
        }
        return picture;
    }

    /** Maps [-1, 1] onto 0..255; values outside are clamped and NaN shows as black. */
    static int toByte(float v) {
        if (Float.isNaN(v)) {
            return 0;
        }
        float clamped = Math.max(-1f, Math.min(1f, v));
        return Math.round((clamped + 1f) * 127.5f);
    }
}
