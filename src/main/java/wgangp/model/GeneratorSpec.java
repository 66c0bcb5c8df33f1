package wgangp.model;

import java.util.ArrayList;
import wgangp.model.layers.BatchNorm2d;
import wgangp.model.layers.Dense;
import wgangp.model.layers.Layer;
import wgangp.model.layers.LayerNetwork;
import wgangp.model.layers.LeakyRelu;
import wgangp.model.layers.Reshape;
import wgangp.model.layers.Tanh;

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

    /** Hidden block k carries batch norm for every k but the first, as in the reference model. */
    public boolean hasBatchNorm(int block) {
        return block > 0;
    }

    /**
     * This generator, the one definition of it: tensor names are PyTorch's {@code Sequential}
     * indices (block 0 Linear, LeakyReLU; each later block Linear, BatchNorm, LeakyReLU; then the
     * output Linear), Linear weights stored [in, out], BatchNorm1d as BatchNorm2d over [width, 1, 1].
     */
    public LayerNetwork network() {
        List<Layer> layers = new ArrayList<>();
        int in = latentSize;
        int index = 0;
        for (int k = 0; k < hidden.size(); k++) {
            long width = hidden.get(k);
            layers.add(Dense.storedInOut("model." + index, in, width));
            if (hasBatchNorm(k)) {
                long[] channels = {width, 1, 1};
                layers.add(new Reshape(new long[] {width}, channels));
                layers.add(new BatchNorm2d("model." + (index + 1), channels, batchNormMomentum, batchNormEps));
                layers.add(new Reshape(channels, width));
            }
            layers.add(new LeakyRelu(new long[] {width}, leakySlope));
            index += hasBatchNorm(k) ? 3 : 2;
            in = hidden.get(k);
        }
        layers.add(Dense.storedInOut("model." + index, in, outputSize));
        layers.add(new Tanh(new long[] {outputSize}));
        return new LayerNetwork(new long[] {latentSize}, layers);
    }
}
