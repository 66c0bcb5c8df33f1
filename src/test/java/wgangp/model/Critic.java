package wgangp.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A test oracle, independent of the layer networks: the MLP critic written out by hand, its flat
 * layout, PyTorch's initialisation and its score. The critic D: dense layers inputSize → hidden… → 1 with a piecewise-linear activation after each
 * hidden layer and an identity output. Its parameters live in one flat vector ({@link #params()});
 * W_l [n_{l-1}, n_l] and b_l [n_l] are views into it.
 */
public final class Critic {
    private final CriticSpec spec;
    private final ParameterLayout layout;
    private final INDArray params;
    private final INDArray[] weights;
    private final INDArray[] biases;

    private Critic(CriticSpec spec, INDArray params) {
        spec.requireExactPenalty();
        this.spec = spec;
        this.layout = layoutOf(spec);
        if (params.length() != layout.length()) {
            throw new IllegalArgumentException("critic parameter vector has " + params.length()
                    + " values, the critic " + spec + " needs " + layout.length());
        }
        this.params = params;
        int layers = spec.hidden().size() + 1;
        weights = new INDArray[layers];
        biases = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            weights[l] = layout.view(params, weightName(l));
            biases[l] = layout.view(params, biasName(l));
        }
    }

    /** A critic with PyTorch's default initialisation drawn from {@code rng}. */
    public static Critic initialise(CriticSpec spec, DataType dtype, java.util.random.RandomGenerator rng) {
        Critic c = new Critic(spec, Nd4j.zeros(dtype, layoutOf(spec).length()));
        for (int l = 0; l < c.layers(); l++) {
            DenseInit.uniformFanIn(c.weights[l], c.biases[l], rng);
        }
        return c;
    }

    /** A critic over an existing flat parameter vector (not copied: updates go through). */
    public static Critic wrap(CriticSpec spec, INDArray params) {
        return new Critic(spec, params);
    }

    /** The flat layout: Linear l sits at Sequential index 2l (Linear, activation, Linear, …). */
    public static ParameterLayout layoutOf(CriticSpec spec) {
        int[] w = spec.widths();
        ParameterLayout layout = new ParameterLayout();
        for (int l = 0; l + 1 < w.length; l++) {
            Generator.addDense(layout, 2 * l, w[l], w[l + 1]);
        }
        return layout;
    }

    /** The PyTorch module name of Linear {@code layer}: {@code model.2l}. */
    static String linearName(int layer) {
        return "model." + (2 * layer);
    }

    static String weightName(int layer) {
        return linearName(layer) + ".weight";
    }

    static String biasName(int layer) {
        return linearName(layer) + ".bias";
    }

    public CriticSpec spec() {
        return spec;
    }

    public ParameterLayout layout() {
        return layout;
    }

    public INDArray params() {
        return params;
    }

    public DataType dataType() {
        return params.dataType();
    }

    /** Number of dense layers (hidden layers + output). */
    public int layers() {
        return weights.length;
    }

    public INDArray weight(int layer) {
        return weights[layer];
    }

    public INDArray bias(int layer) {
        return biases[layer];
    }

    /** {@code engine}'s objectives over this critic's vector, for batches of {@code batch} rows. */
    public CriticObjective objective(Engine engine, int batch, double lambdaGp) {
        return engine.criticObjective(spec.network(), params, batch, lambdaGp);
    }

    /** D(x) for a batch of rows, one score per row; allocates, meant for evaluation, not the hot loop. */
    public INDArray score(INDArray x) {
        double slope = spec.negativeSlope();
        INDArray a = x.castTo(dataType());
        for (int l = 0; l < layers(); l++) {
            INDArray h = a.mmul(weights[l]).addiRowVector(biases[l]);
            a = l + 1 < layers() ? Activations.leaky(h, slope) : h;
        }
        return a;
    }
}
