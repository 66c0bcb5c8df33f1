package wgangp.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.ReplicaGroup;

/**
 * The fixed latent batch every sample grid of a run is drawn from, so successive grids show the
 * same z's images evolving. Drawn once from the run's seed and kept in every checkpoint.
 */
public final class SampleNoise {
    private SampleNoise() {
    }

    /** {@code count × latent} standard normal values, row-major, a pure function of the seed. */
    public static float[] draw(int count, int latent, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(Seeds.sampleNoise(seed));
        float[] z = new float[count * latent];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return z;
    }

    /**
     * The generator's images for {@code z} (rows of {@code latent} values) from a training state,
     * BatchNorm in inference mode: one float[imageSize] in [−1, 1] per row.
     */
    public static float[][] images(WganGpConfig config, TrainingState state, float[] z) {
        int latent = config.generator().latentSize();
        if (z.length % latent != 0) {
            throw new IllegalArgumentException("sample noise of " + z.length + " values is not a whole number of "
                    + latent + "-dimensional latent vectors");
        }
        INDArray noise = Nd4j.createFromArray(z.clone()).reshape(z.length / latent, latent);
        Networks networks = new Networks(config, config.engine().resolve(),
                Nd4j.createFromArray(state.generatorParams().clone()),
                Nd4j.createFromArray(state.generatorBatchNormStats().clone()),
                Nd4j.createFromArray(state.criticParams().clone()), ReplicaGroup.SINGLE);
        return networks.sample(noise).toFloatMatrix();
    }
}
