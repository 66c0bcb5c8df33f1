package wgangp.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A test oracle, independent of the layer networks: the MLP generator written out by hand, its
 * flat layout and PyTorch's initialisation. The generator G: z → [Linear, LeakyReLU] →
 * [Linear, BatchNorm, LeakyReLU]… → Linear → tanh.
 * Parameters live in one flat vector, BatchNorm running statistics in another
 * ([mean_1 | var_1 | mean_2 | var_2 | …], PyTorch's semantics: momentum-weighted, unbiased variance).
 * {@link #pass} trains it through the engine's passes over its {@link GeneratorSpec#network()}.
 */
public final class Generator {
    private final GeneratorSpec spec;
    private final ParameterLayout layout;
    private final INDArray params;
    private final INDArray batchNormStats;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final INDArray[] gammas;
    private final INDArray[] betas;
    private final INDArray[] runningVars;

    private Generator(GeneratorSpec spec, INDArray params, INDArray batchNormStats) {
        this.spec = spec;
        this.layout = layoutOf(spec);
        if (params.length() != layout.length() || batchNormStats.length() != statsLength(spec)) {
            throw new IllegalArgumentException("generator state has " + params.length() + " parameters and "
                    + batchNormStats.length() + " batch-norm statistics; the generator " + spec + " needs "
                    + layout.length() + " and " + statsLength(spec));
        }
        this.params = params;
        this.batchNormStats = batchNormStats;
        int blocks = spec.hidden().size();
        weights = new INDArray[blocks + 1];
        biases = new INDArray[blocks + 1];
        gammas = new INDArray[blocks];
        betas = new INDArray[blocks];
        runningVars = new INDArray[blocks];
        long statOffset = 0;
        for (int k = 0; k <= blocks; k++) {
            weights[k] = layout.view(params, "model." + linearIndex(spec, k) + ".weight");
            biases[k] = layout.view(params, "model." + linearIndex(spec, k) + ".bias");
            if (k < blocks && spec.hasBatchNorm(k)) {
                gammas[k] = layout.view(params, "model." + (linearIndex(spec, k) + 1) + ".weight");
                betas[k] = layout.view(params, "model." + (linearIndex(spec, k) + 1) + ".bias");
                long width = spec.hidden().get(k);
                runningVars[k] = batchNormStats.get(interval(statOffset + width, width));
                statOffset += 2 * width;
            }
        }
    }

    /** A generator with PyTorch's default initialisation (Linear U(±1/√fanIn), γ = 1, β = 0). */
    public static Generator initialise(GeneratorSpec spec, DataType dtype, java.util.random.RandomGenerator rng) {
        Generator g = new Generator(spec, Nd4j.zeros(dtype, layoutOf(spec).length()),
                Nd4j.zeros(dtype, statsLength(spec)));
        for (int k = 0; k < g.weights.length; k++) {
            DenseInit.uniformFanIn(g.weights[k], g.biases[k], rng);
            if (k < g.gammas.length && g.gammas[k] != null) {
                g.gammas[k].assign(1.0);
                g.runningVars[k].assign(1.0);
            }
        }
        return g;
    }

    /** A generator over existing flat vectors (not copied: updates go through). */
    public static Generator wrap(GeneratorSpec spec, INDArray params, INDArray batchNormStats) {
        return new Generator(spec, params, batchNormStats);
    }

    /**
     * PyTorch Sequential indices: block 0 is Linear, LeakyReLU; each later block Linear, BatchNorm,
     * LeakyReLU; then the output Linear. Index of the Linear of block k (k = blocks: the output).
     */
    static int linearIndex(GeneratorSpec spec, int block) {
        int index = 0;
        for (int k = 0; k < block; k++) {
            index += spec.hasBatchNorm(k) ? 3 : 2;
        }
        return index;
    }

    public static ParameterLayout layoutOf(GeneratorSpec spec) {
        ParameterLayout layout = new ParameterLayout();
        int in = spec.latentSize();
        for (int k = 0; k < spec.hidden().size(); k++) {
            int out = spec.hidden().get(k);
            addDense(layout, linearIndex(spec, k), in, out);
            if (spec.hasBatchNorm(k)) {
                layout.addTensor("model." + (linearIndex(spec, k) + 1) + ".weight", new long[] {out}, false);
                layout.addTensor("model." + (linearIndex(spec, k) + 1) + ".bias", new long[] {out}, false);
            }
            in = out;
        }
        addDense(layout, linearIndex(spec, spec.hidden().size()), in, spec.outputSize());
        return layout;
    }

    /** Names of the Linear biases that feed BatchNorm: the batch mean cancels them, so their gradient is zero. */
    public static java.util.Set<String> biasesFeedingBatchNorm(GeneratorSpec spec) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int k = 0; k < spec.hidden().size(); k++) {
            if (spec.hasBatchNorm(k)) {
                names.add("model." + linearIndex(spec, k) + ".bias");
            }
        }
        return names;
    }

    public static long statsLength(GeneratorSpec spec) {
        long n = 0;
        for (int k = 0; k < spec.hidden().size(); k++) {
            n += spec.hasBatchNorm(k) ? 2L * spec.hidden().get(k) : 0;
        }
        return n;
    }

    public GeneratorSpec spec() {
        return spec;
    }

    public ParameterLayout layout() {
        return layout;
    }

    public INDArray params() {
        return params;
    }

    public INDArray batchNormStats() {
        return batchNormStats;
    }

    public DataType dataType() {
        return params.dataType();
    }

    int blocks() {
        return spec.hidden().size();
    }

    INDArray weight(int block) {
        return weights[block];
    }

    INDArray bias(int block) {
        return biases[block];
    }

    INDArray gamma(int block) {
        return gammas[block];
    }

    INDArray beta(int block) {
        return betas[block];
    }

    /** A dense layer's weight [in, out] and bias [out] under Sequential index {@code index}. */
    static void addDense(ParameterLayout layout, int index, int in, int out) {
        layout.addTensor("model." + index + ".weight", new long[] {in, out}, true);
        layout.addTensor("model." + index + ".bias", new long[] {out}, false);
    }

    /** {@code engine}'s training-mode passes over this generator's vectors, {@code groups} batches of {@code batch} rows. */
    public GeneratorPass pass(Engine engine, int batch, int groups) {
        return engine.generatorPass(spec.network(), params, batchNormStats, batch, groups, ReplicaGroup.SINGLE);
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex interval(long from, long length) {
        return org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + length);
    }
}
