package wgangp.data;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One worker's part of the training images: raw uint8 pixels, compact to ship and to cache. The
 * float matrix the networks train on is made from them on first use in the JVM holding the shard
 * and kept there (transient: it never travels), so later rounds reuse it. On a multi-GPU executor a
 * later round may run on another GPU than the one holding the matrix; it is then made anew there.
 */
public final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final int count;
    private final int pixelsPerImage;
    private final byte[] pixels;
    private transient volatile Placed matrix;

    /** The matrix and the ND4J device it was made on (always 0 on the CPU backend). */
    private record Placed(INDArray matrix, int device) {
    }

    public Shard(int index, int count, int pixelsPerImage, byte[] pixels) {
        if (index < 0 || count < 1 || pixelsPerImage < 1) {
            throw new IllegalArgumentException("a shard needs index >= 0, count >= 1 and pixelsPerImage >= 1, got "
                    + index + ", " + count + ", " + pixelsPerImage);
        }
        if ((long) count * pixelsPerImage != pixels.length) {
            throw new IllegalArgumentException("shard " + index + " holds " + pixels.length + " bytes, expected "
                    + count + " x " + pixelsPerImage);
        }
        this.index = index;
        this.count = count;
        this.pixelsPerImage = pixelsPerImage;
        this.pixels = pixels;
    }

    /** The partition this shard belongs to, 0-based. */
    public int index() {
        return index;
    }

    public int count() {
        return count;
    }

    public int pixelsPerImage() {
        return pixelsPerImage;
    }

    /** The raw uint8 pixels, image after image; read-only for callers. */
    public byte[] pixels() {
        return pixels;
    }

    /** The images as [count, pixelsPerImage] floats in [−1, 1], on the calling thread's device; read-only for callers. */
    public INDArray matrix() {
        int device = Nd4j.getAffinityManager().getDeviceForCurrentThread();
        Placed m = matrix;
        if (m == null || m.device() != device) {
            synchronized (this) {
                m = matrix;
                if (m == null || m.device() != device) {
                    m = new Placed(ScaledImages.matrix(pixels, count, pixelsPerImage), device);
                    matrix = m;
                }
            }
        }
        return m.matrix();
    }

    @Override
    public String toString() {
        return "Shard[" + index + ", " + count + " images]";
    }
}
