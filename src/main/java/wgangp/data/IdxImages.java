package wgangp.data;

import java.util.Objects;

/**
 * Unsigned 8-bit greyscale images read from an IDX file, stored row-major, one image after another.
 *
 * @param source the fully qualified path the images came from, for messages
 * @param count  number of images
 * @param rows   rows per image
 * @param cols   columns per image
 * @param pixels {@code count * rows * cols} raw pixel bytes, 0 = background
 */
public record IdxImages(String source, int count, int rows, int cols, byte[] pixels) {

    public IdxImages {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pixels, "pixels");
        if (count <= 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(
                    "count, rows and cols must be positive, got " + count + ", " + rows + ", " + cols);
        }
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("pixels holds " + pixels.length + " bytes, expected "
                    + count + " x " + rows + " x " + cols);
        }
    }

    public int pixelsPerImage() {
        return rows * cols;
    }

    /** The raw pixel value, 0..255. */
    public int pixel(int image, int pixel) {
        return pixels[index(image, pixel)] & 0xff;
    }

    /** The pixel scaled to [-1, 1], the range of the generator's tanh output. */
    public float scaledPixel(int image, int pixel) {
        return (pixels[index(image, pixel)] & 0xff) / 127.5f - 1f;
    }

    private int index(int image, int pixel) {
        Objects.checkIndex(image, count);
        Objects.checkIndex(pixel, pixelsPerImage());
        return image * pixelsPerImage() + pixel;
    }

    @Override
    public String toString() {
        return "IdxImages[" + source + ", " + count + " x " + rows + "x" + cols + "]";
    }
}
