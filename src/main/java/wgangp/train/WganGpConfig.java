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
 * Validated on construction, so a bad value never reaches a worker.
 *
 * <p>With {@link Architecture#DCGAN} the networks are {@link #dcgan()}'s; the specs then still give
 * the latent and image sizes, the LeakyReLU slope and the BatchNorm momentum and eps, and their
 * hidden widths are unused.
 */
public record WganGpConfig(GeneratorSpec generator, CriticSpec critic, int batch, double learningRate,
                           double beta1, double beta2, double adamEpsilon, int nCritic, double lambdaGp,
                           Engine engine, Architecture architecture, int dcganDim)
        implements Serializable {

    /** An MLP config (the original model). */
    public WganGpConfig(GeneratorSpec generator, CriticSpec critic, int batch, double learningRate, double beta1,
                        double beta2, double adamEpsilon, int nCritic, double lambdaGp, Engine engine) {
        this(generator, critic, batch, learningRate, beta1, beta2, adamEpsilon, nCritic, lambdaGp, engine,
                Architecture.MLP, DEFAULT_DCGAN_DIM);
    }

    /** dcgan's base channel count when none is given. */
    public static final int DEFAULT_DCGAN_DIM = 64;

    /** A config on {@link Engine#AUTO}: the host engine on the CPU backend, the device engine elsewhere. */
    public WganGpConfig(GeneratorSpec generator, CriticSpec critic, int batch, double learningRate, double beta1,
                        double beta2, double adamEpsilon, int nCritic, double lambdaGp) {
        this(generator, critic, batch, learningRate, beta1, beta2, adamEpsilon, nCritic, lambdaGp, Engine.AUTO);
    }

    public WganGpConfig {
        if (engine == null) {
            throw new IllegalArgumentException("engine must be auto, host or device, got null");
        }
        require(batch >= 2, "batch", batch, "must be at least 2 (BatchNorm needs a batch variance)");
        require(learningRate > 0 && Double.isFinite(learningRate), "lr", learningRate, "must be > 0");
        require(beta1 >= 0 && beta1 < 1, "beta1", beta1, "must be in [0, 1)");
        require(beta2 >= 0 && beta2 < 1, "beta2", beta2, "must be in [0, 1)");
        require(adamEpsilon > 0, "adamEpsilon", adamEpsilon, "must be > 0");
        require(nCritic >= 1, "nCritic", nCritic, "must be >= 1");
        require(lambdaGp >= 0 && Double.isFinite(lambdaGp), "lambdaGp", lambdaGp, "must be >= 0");
        if (generator.outputSize() != critic.inputSize()) {
            throw new IllegalArgumentException("generator output size " + generator.outputSize()
                    + " differs from critic input size " + critic.inputSize());
        }
        critic.requireExactPenalty();
        if (architecture == null) {
            throw new IllegalArgumentException("model must be mlp or dcgan, got null");
        }
        require(dcganDim >= 1, "dcgan.dim", dcganDim, "must be >= 1");
        if (architecture == Architecture.DCGAN) {
            DcganSpec.requireImageSize(generator.outputSize());
        }
    }

    /** The convolutional networks' shape (meaningful when {@link #architecture()} is DCGAN). */
    public DcganSpec dcgan() {
        return new DcganSpec(generator.latentSize(), dcganDim, generator.leakySlope(), generator.batchNormMomentum(),
                generator.batchNormEps());
    }

    /** The reference model's defaults: batch 64, Adam 2e-4 (0.5, 0.999), nCritic 5, λ 10. */
    public static WganGpConfig reference(int imageSize) {
        return new WganGpConfig(GeneratorSpec.reference(imageSize), CriticSpec.reference(imageSize),
                64, 2e-4, 0.5, 0.999, 1e-8, 5, 10.0);
    }

    /** This config computed by {@code other}. */
    public WganGpConfig withEngine(Engine other) {
        return new WganGpConfig(generator, critic, batch, learningRate, beta1, beta2, adamEpsilon, nCritic, lambdaGp,
                other, architecture, dcganDim);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(key + "=" + value + " " + rule);
        }
    }
}
