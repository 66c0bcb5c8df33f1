package wgangp.model.fused;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import wgangp.model.layers.BatchNorm2d;
import wgangp.model.layers.Dense;
import wgangp.model.layers.Layer;
import wgangp.model.layers.LayerNetwork;
import wgangp.model.layers.LeakyRelu;
import wgangp.model.layers.Reshape;
import wgangp.model.layers.Tanh;

/**
 * What the fused MLP passes need to know of a network, read from its {@link LayerNetwork}: a stack
 * of Linear layers with [in, out] weights, each hidden one followed by an optional BatchNorm (over
 * [width, 1, 1]) and one leaky ReLU slope shared by all (or no activation at all, slope 1), the
 * output Linear followed by tanh or nothing. Networks of any other form have no MLP shape, and train
 * on the layer passes.
 *
 * @param widths     input width, every Linear's output width
 * @param linears    the Linear layers, input side first
 * @param norms      for each hidden Linear, the BatchNorm after it, or null
 * @param slope      the hidden layers' mask value left of zero
 * @param tanhOutput whether the output goes through tanh
 */
record MlpShape(int[] widths, List<Dense> linears, List<BatchNorm2d> norms, float slope, boolean tanhOutput) {

    /** The MLP shape of {@code network}, or none when it has another form. */
    static Optional<MlpShape> of(LayerNetwork network) {
        List<Layer> layers = network.layers();
        List<Dense> linears = new ArrayList<>();
        List<BatchNorm2d> norms = new ArrayList<>();
        List<Double> slopes = new ArrayList<>();
        int i = 0;
        while (i < layers.size()) {
            if (!(layers.get(i++) instanceof Dense linear) || !linear.inOut()) {
                return Optional.empty();
            }
            linears.add(linear);
            if (i == layers.size() || i == layers.size() - 1 && layers.get(i) instanceof Tanh) {
                break;
            }
            BatchNorm2d norm = null;
            if (i + 2 < layers.size() && layers.get(i) instanceof Reshape && layers.get(i + 1) instanceof BatchNorm2d bn
                    && layers.get(i + 2) instanceof Reshape) {
                norm = bn;
                i += 3;
            }
            norms.add(norm);
            slopes.add(i < layers.size() && layers.get(i) instanceof LeakyRelu relu ? relu.slope() : 1.0);
            i += i < layers.size() && layers.get(i) instanceof LeakyRelu ? 1 : 0;
        }
        boolean tanh = layers.get(layers.size() - 1) instanceof Tanh;
        if (slopes.stream().distinct().count() > 1 || norms.stream().filter(n -> n != null)
                .map(n -> List.of(n.momentum(), n.eps())).distinct().count() > 1) {
            return Optional.empty();
        }
        int[] widths = new int[linears.size() + 1];
        widths[0] = Math.toIntExact(linears.get(0).in());
        for (int l = 0; l < linears.size(); l++) {
            widths[l + 1] = Math.toIntExact(linears.get(l).outputShape()[0]);
        }
        return Optional.of(new MlpShape(widths, List.copyOf(linears), java.util.Collections.unmodifiableList(norms),
                slopes.isEmpty() ? 1f : slopes.get(0).floatValue(), tanh));
    }

    /** The number of hidden blocks (every Linear but the output). */
    int blocks() {
        return linears.size() - 1;
    }

    boolean hasBatchNorm(int block) {
        return block < blocks() && norms.get(block) != null;
    }

    /** The BatchNorm of block {@code block}, which must have one. */
    BatchNorm2d norm(int block) {
        return norms.get(block);
    }

    String weightName(int layer) {
        return linears.get(layer).name() + ".weight";
    }

    String biasName(int layer) {
        return linears.get(layer).name() + ".bias";
    }
}
