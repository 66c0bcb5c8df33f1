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
     * This generator as a list of layer kinds over {@link Generator}'s flat vectors (the same
     * tensor names, order and [in, out] Linear weights; BatchNorm1d as BatchNorm2d over [width, 1, 1]),
     * computed by {@code engine}'s kernels.
     */
    public LayerNetwork network(Engine engine) {
        return network(engine, ReplicaGroup.SINGLE);
    }

    /** {@link #network(Engine)} with BatchNorm's statistics taken across {@code batchNormGroup}. */
    public LayerNetwork network(Engine engine, ReplicaGroup batchNormGroup) {
        List<Layer> layers = new ArrayList<>();
        int in = latentSize;
        for (int k = 0; k < hidden.size(); k++) {
            int index = Generator.linearIndex(this, k);
            long width = hidden.get(k);
            layers.add(Dense.storedInOut("model." + index, in, width, engine));
            if (hasBatchNorm(k)) {
                long[] channels = {width, 1, 1};
                layers.add(new Reshape(new long[] {width}, channels));
                layers.add(new BatchNorm2d("model." + (index + 1), channels, batchNormMomentum, batchNormEps, engine,
                        batchNormGroup));
                layers.add(new Reshape(channels, width));
            }
            layers.add(new LeakyRelu(new long[] {width}, leakySlope, engine));
            in = hidden.get(k);
        }
        layers.add(Dense.storedInOut("model." + Generator.linearIndex(this, hidden.size()), in, outputSize, engine));
        layers.add(new Tanh(new long[] {outputSize}));
        return new LayerNetwork(new long[] {latentSize}, layers);
    }
}
