package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wgangp.io.ReferenceFixture;

/** Agreement with PyTorch's double-backprop gradients, from a fixture the reference script wrote. */
class GradientCheckTest {
    static final String FIXTURE = "src/test/resources/reference-grads.json.gz";
    private static GradientCheck.Result result;

    @BeforeAll
    static void check() {
        result = GradientCheck.run(ReferenceFixture.read(FIXTURE, new Configuration()));
    }

    @Test
    void lossesMatchPyTorch() {
        assertEquals(result.referenceCriticLoss(), result.criticLoss(), 1e-5 * Math.abs(result.referenceCriticLoss()));
        assertEquals(result.referenceGradientPenalty(), result.gradientPenalty(), 1e-5);
        assertEquals(result.referenceWassersteinTerm(), result.wassersteinTerm(), 1e-5);
        assertEquals(result.referenceGeneratorLoss(), result.generatorLoss(), 1e-5);
        assertTrue(result.fakeMaxAbsError() < 1e-5, "G(z) matches the fixture's fake batch");
    }

    @Test
    void everyCriticGradientTensorMatchesPyTorch() {
        assertEquals(6, result.criticErrors().size());
        result.criticErrors().forEach((name, err) -> assertTrue(err < 1e-4, name + " relative error " + err));
    }

    @Test
    void everyGeneratorGradientTensorMatchesPyTorch() {
        // 5 Linear layers (weight, bias) and 3 BatchNorm layers (γ, β)
        assertEquals(16, result.generatorErrors().size());
        result.generatorErrors().forEach((name, err) -> assertTrue(err < 1e-4, name + " relative error " + err));
    }

    @Test
    void generatorGradientFlowsThroughTheGenerator() {
        // a generator step on a detached G(z) would leave every generator gradient at zero
        for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> e : result.generatorGradients().entrySet()) {
            if (e.getKey().endsWith(".weight")) {
                assertTrue(e.getValue().amaxNumber().doubleValue() > 0, e.getKey() + " has a gradient");
            }
        }
    }
}
