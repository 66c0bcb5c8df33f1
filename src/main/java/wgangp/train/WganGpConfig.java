package wgangp.train;

import java.io.Serializable;
import wgangp.model.Architecture;
import wgangp.model.CriticSpec;
import wgangp.model.DcganSpec;
import wgangp.model.Engine;
import wgangp.model.GeneratorSpec;

/**
 * What one WGAN-GP step needs to know: the two networks' shapes, the optimisation
 * hyperparameters, and which {@link Engine} computes it (AUTO is resolved by the JVM that trains).
 * Built from a validated job configuration ({@code wgangp.job.JobConfig#model}), whose key table
 * holds every rule a value must meet, so it checks nothing again.
 *
 * <p>With {@link Architecture#DCGAN} the networks are {@link #dcgan()}'s; the specs then still give
 * the latent and image sizes, the LeakyReLU slope and the BatchNorm momentum and eps, and their
 * hidden widths are unused.
 */
public record WganGpConfig(GeneratorSpec generator, CriticSpec critic, int batch, double learningRate,
                           double beta1, double beta2, double adamEpsilon, int nCritic, double lambdaGp,
                           Engine engine, Architecture architecture, int dcganDim)
        implements Serializable {

    /** The convolutional networks' shape (meaningful when {@link #architecture()} is DCGAN). */
    public DcganSpec dcgan() {
        return new DcganSpec(generator.latentSize(), dcganDim, generator.leakySlope(), generator.batchNormMomentum(),
                generator.batchNormEps());
    }

    /** This config computed by {@code other}. */
    public WganGpConfig withEngine(Engine other) {
        return new WganGpConfig(generator, critic, batch, learningRate, beta1, beta2, adamEpsilon, nCritic, lambdaGp,
                other, architecture, dcganDim);
    }
}
