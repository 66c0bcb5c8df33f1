package wgangp.model;

import java.io.Serializable;
import java.util.List;

/**
 * Shape of the generator: latent → hidden… → outputSize. The first hidden block is
 * Linear + LeakyReLU, every later one Linear + BatchNorm + LeakyReLU, the output Linear + tanh.
 */
public record GeneratorSpec(int latentSize, List<Integer> hidden, double leakySlope, int outputSize,
                            double batchNormMomentum, double batchNormEps) implements Serializable {

    public GeneratorSpec {
        hidden = List.copyOf(hidden);
        if (latentSize <= 0 || outputSize <= 0) {
            throw new IllegalArgumentException("generator latent and output sizes must be positive");
        }
        if (hidden.isEmpty() || hidden.stream().anyMatch(w -> w <= 0)) {
            throw new IllegalArgumentException("generator hidden widths must be positive and non-empty, got " + hidden);
        }
    }

    /** The reference generator: 100 → 128 → 256 → 512 → 1024 → outputSize, LeakyReLU 0.2. */
    public static GeneratorSpec reference(int outputSize) {
        return new GeneratorSpec(100, List.of(128, 256, 512, 1024), 0.2, outputSize, 0.1, 1e-5);
    }

    /** Hidden block k carries batch norm for every k but the first, as in the reference model. */
    public boolean hasBatchNorm(int block) {
        return block > 0;
    }
}
