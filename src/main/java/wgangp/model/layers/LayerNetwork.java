package wgangp.model.layers;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import wgangp.model.ParameterLayout;
import wgangp.model.UnsupportedCriticException;
import wgangp.model.kernels.Kernels;

/**
 * A network as an ordered list of {@link Layer}s over one flat parameter vector in PyTorch
 * {@code state_dict} order (each layer's tensors in its {@link Layer#parameters()} order and
 * layout) and one flat vector of running statistics (each layer's in turn). The flat vectors are
 * what the optimizer updates, what is averaged and checkpointed; the layers see views of them.
 * The description is the same on every engine: the passes take the engine's {@link Kernels}.
 */
public final class LayerNetwork {
    private final long[] inputShape;
    private final List<Layer> layers;
    private final ParameterLayout layout = new ParameterLayout();
    private final long statisticsLength;
    private final int[] cancelledBias;

    /** @param inputShape one sample's input shape; each layer's input is the previous one's output */
    public LayerNetwork(long[] inputShape, List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        this.inputShape = inputShape.clone();
        this.layers = List.copyOf(layers);
        long stats = 0;
        for (Layer layer : layers) {
            for (Parameter p : layer.parameters()) {
                layout.addTensor(p.name(), p.shape(), p.transposedFromTorch());
            }
            stats += layer.statisticsLength();
        }
        this.statisticsLength = stats;
        this.cancelledBias = biasesCancelledByBatchNorm(this.layers);
    }

    /**
     * For each layer, the index of its bias tensor when that bias holds one value per channel of a
     * training-mode BatchNorm right after it (reshapes between allowed), else −1. The batch mean
     * cancels such a bias, so its gradient is zero in exact arithmetic; {@link #backward} writes
     * that zero instead of the rounding left of it, which Adam's normalised step would otherwise
     * turn into steps of the full learning rate. (A bias that varies within a channel, like dcgan's
     * fc before bn0, is not cancelled.)
     */
    private static int[] biasesCancelledByBatchNorm(List<Layer> layers) {
        int[] cancelled = new int[layers.size()];
        Arrays.fill(cancelled, -1);
        for (int l = 0; l < layers.size(); l++) {
            if (!(layers.get(l) instanceof BatchNorm2d norm)) {
                continue;
            }
            int feeding = l - 1;
            while (feeding >= 0 && layers.get(feeding) instanceof Reshape) {
                feeding--;
            }
            if (feeding < 0) {
                continue;
            }
            List<Parameter> ps = layers.get(feeding).parameters();
            for (int i = 0; i < ps.size(); i++) {
                Parameter p = ps.get(i);
                if (p.name().endsWith(".bias") && Arrays.equals(p.shape(), new long[] {norm.outputShape()[0]})) {
                    cancelled[feeding] = i;
                }
            }
        }
        return cancelled;
    }

    /**
     * Names of the bias tensors a training-mode BatchNorm cancels (see {@link #backward}): their
     * gradient is zero in exact arithmetic.
     */
    public java.util.Set<String> cancelledBiases() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (int l = 0; l < layers.size(); l++) {
            if (cancelledBias[l] >= 0) {
                names.add(layers.get(l).parameters().get(cancelledBias[l]).name());
            }
        }
        return names;
    }

    /**
     * A critic: refuses any layer kind without a tangent pass (BatchNorm, tanh, …), whose presence
     * would make the closed-form penalty gradient wrong, and any output other than one score.
     */
    public static LayerNetwork critic(long[] inputShape, List<Layer> layers) {
        for (Layer layer : layers) {
            if (!(layer instanceof CriticLayer)) {
                throw new UnsupportedCriticException("a " + layer.getClass().getSimpleName()
                        + " layer is not piecewise-linear, so the exact gradient penalty does not hold for a critic"
                        + " that uses it");
            }
        }
        LayerNetwork network = new LayerNetwork(inputShape, layers);
        if (!Arrays.equals(network.outputShape(), new long[] {1})) {
            throw new IllegalArgumentException("a critic ends in one score per sample, this one in "
                    + Arrays.toString(network.outputShape()));
        }
        return network;
    }

    public List<Layer> layers() {
        return layers;
    }

    public long[] inputShape() {
        return inputShape.clone();
    }

    public long[] outputShape() {
        return layers.get(layers.size() - 1).outputShape();
    }

    public ParameterLayout layout() {
        return layout;
    }

    public long parameterLength() {
        return layout.length();
    }

    public long statisticsLength() {
        return statisticsLength;
    }

    /** Each layer's views of {@code params} (and of {@code statistics}, null when there are none). */
    public LayerWeights[] bind(INDArray params, INDArray statistics) {
        if (params.length() != layout.length() || (statistics != null && statistics.length() != statisticsLength)) {
            throw new IllegalArgumentException("network state has " + params.length() + " parameters and "
                    + (statistics == null ? 0 : statistics.length()) + " statistics; this network needs "
                    + layout.length() + " and " + statisticsLength);
        }
        LayerWeights[] bound = new LayerWeights[layers.size()];
        long statOffset = 0;
        for (int l = 0; l < bound.length; l++) {
            Layer layer = layers.get(l);
            List<Parameter> ps = layer.parameters();
            INDArray[] views = new INDArray[ps.size()];
            for (int i = 0; i < views.length; i++) {
                views[i] = layout.view(params, ps.get(i).name());
            }
            long n = layer.statisticsLength();
            INDArray stats = n == 0 || statistics == null ? null
                    : statistics.get(NDArrayIndex.interval(statOffset, statOffset + n));
            statOffset += n;
            bound[l] = new LayerWeights(views, stats);
        }
        return bound;
    }

    /**
     * PyTorch's default initialisation drawn from {@code rng} tensor by tensor in {@code state_dict}
     * order; running statistics start at mean 0, variance 1.
     */
    public void initialise(INDArray params, INDArray statistics, RandomGenerator rng) {
        LayerWeights[] bound = bind(params, statistics);
        for (int l = 0; l < bound.length; l++) {
            List<Parameter> ps = layers.get(l).parameters();
            for (int i = 0; i < ps.size(); i++) {
                fill(bound[l].get(i), ps.get(i), rng);
            }
            if (layers.get(l) instanceof BatchNorm2d bn) {
                bn.runningMean(bound[l].statistics()).assign(0);
                bn.runningVar(bound[l].statistics()).assign(1);
            }
        }
    }

    private static void fill(INDArray target, Parameter p, RandomGenerator rng) {
        switch (p.init()) {
            case ONES -> target.assign(1);
            case ZEROS -> target.assign(0);
            case UNIFORM_FAN_IN -> {
                // drawn in the stored element order, as the MLP's own initialisation draws them
                double bound = 1.0 / Math.sqrt(p.fanIn());
                float[] values = new float[Math.toIntExact(target.length())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) rng.nextDouble(-bound, bound);
                }
                target.assign(Nd4j.createFromArray(values).reshape(target.shape()).castTo(target.dataType()));
            }
            default -> throw new IllegalStateException("unhandled init " + p.init());
        }
    }

    /**
     * Forward pass of a batch [B, …inputShape]: activations[0] is the input, activations[l + 1] the
     * output of layer l; the last is the network's output.
     */
    public INDArray[] forward(INDArray input, LayerWeights[] weights, Layer.Mode mode, Kernels kernels) {
        INDArray[] activations = new INDArray[layers.size() + 1];
        activations[0] = input.reshape('c', Shapes.batch(input.size(0), inputShape));
        for (int l = 0; l < layers.size(); l++) {
            activations[l + 1] = layers.get(l).forward(activations[l], weights[l], mode, kernels);
        }
        return activations;
    }

    /**
     * Backward pass from ∂L/∂output: returns ∂L/∂input; fills {@code deltas[l]} (when not null) with
     * ∂L/∂(output of layer l) and adds the weight gradients into {@code gradient} (when not null).
     */
    public INDArray backward(INDArray[] activations, INDArray outputGradient, LayerWeights[] weights,
                             INDArray[] deltas, LayerWeights[] gradient, Kernels kernels) {
        INDArray delta = outputGradient.reshape('c', Shapes.batch(outputGradient.size(0), outputShape()));
        for (int l = layers.size() - 1; l >= 0; l--) {
            Layer layer = layers.get(l);
            if (deltas != null) {
                deltas[l] = delta;
            }
            if (gradient != null) {
                layer.weightGradient(activations[l], delta, weights[l], gradient[l], true, kernels);
                if (cancelledBias[l] >= 0) {
                    gradient[l].get(cancelledBias[l]).assign(0);
                }
            }
            delta = layer.inputGradient(activations[l], activations[l + 1], delta, weights[l], kernels);
        }
        return delta;
    }
}
