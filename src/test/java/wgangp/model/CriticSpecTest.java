package wgangp.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.layers.LayerNetwork;

/** A critic whose penalty gradient the closed form would get wrong is refused when it is built. */
class CriticSpecTest {

    @ParameterizedTest
    @EnumSource(value = Normalization.class, names = {"BATCHNORM", "LAYERNORM"})
    void normalizationInTheCriticIsRefused(Normalization normalization) {
        CriticSpec spec = new CriticSpec(784, List.of(8), Activation.LEAKYRELU, 0.2, normalization);
        UnsupportedCriticException e = assertThrows(UnsupportedCriticException.class,
                () -> Critic.initialise(spec, DataType.FLOAT, new java.util.SplittableRandom(1)));
        assertTrue(e.getMessage().contains("critic.normalization=" + normalization), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "SIGMOID", "SOFTPLUS", "ELU"})
    void smoothActivationsAreRefused(Activation activation) {
        CriticSpec spec = new CriticSpec(784, List.of(8), activation, 0.2, Normalization.NONE);
        UnsupportedCriticException e = assertThrows(UnsupportedCriticException.class, spec::requireExactPenalty);
        assertTrue(e.getMessage().contains("critic.activation=" + activation), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"LEAKYRELU", "RELU", "IDENTITY"})
    void asALayerNetworkItHasTheCriticsFlatLayoutAndInitialWeights(Activation activation) {
        CriticSpec spec = new CriticSpec(12, List.of(7, 5), activation, 0.2, Normalization.NONE);
        LayerNetwork network = spec.network();
        assertEquals(describe(Critic.layoutOf(spec)), describe(network.layout()));
        INDArray params = Nd4j.create(DataType.FLOAT, network.parameterLength());
        network.initialise(params, null, new SplittableRandom(4));
        assertEquals(Critic.initialise(spec, DataType.FLOAT, new SplittableRandom(4)).params(), params);
        // identity adds no activation layer: three Linear layers and, otherwise, two activations
        assertEquals(activation == Activation.IDENTITY ? 3 : 5, network.layers().size());
    }

    @Test
    void asALayerNetworkItIsRefusedLikeTheCritic() {
        CriticSpec spec = new CriticSpec(12, List.of(7), Activation.TANH, 0.2, Normalization.NONE);
        assertThrows(UnsupportedCriticException.class, () -> spec.network());
    }

    /** Each tensor's name, shape, offset and orientation, in order. */
    static List<String> describe(ParameterLayout layout) {
        return layout.tensors().stream().map(t -> t.name() + " " + java.util.Arrays.toString(t.shape()) + " @"
                + t.offset() + (t.transposedFromTorch() ? " transposed" : "")).toList();
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"LEAKYRELU", "RELU", "IDENTITY"})
    void piecewiseLinearActivationsAreAccepted(Activation activation) {
        CriticSpec spec = new CriticSpec(784, List.of(8), activation, 0.2, Normalization.NONE);
        assertDoesNotThrow(spec::requireExactPenalty);
    }

    @Test
    void parsingNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("swish"));
        assertTrue(e.getMessage().contains("leakyrelu"), e.getMessage());
        assertTrue(Activation.parse("leaky_relu") == Activation.LEAKYRELU);
        assertTrue(Normalization.parse("batch-norm") == Normalization.BATCHNORM);
    }
}
