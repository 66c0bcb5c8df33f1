package wgangp.data;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

/** uint8 pixels as the [count, pixels] float matrix the networks train on, scaled to [−1, 1]. */
public final class ScaledImages {
    private ScaledImages() {
    }

    public static INDArray matrix(byte[] pixels, int count, int pixelsPerImage) {
        float[] scaled = new float[count * pixelsPerImage];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = (pixels[i] & 0xFF) / 127.5f - 1f;
        }
        return Nd4j.createFromArray(scaled).reshape(count, pixelsPerImage);
    }

    public static INDArray matrix(IdxImages images) {
        return matrix(images.pixels(), images.count(), images.pixelsPerImage());
    }
}
