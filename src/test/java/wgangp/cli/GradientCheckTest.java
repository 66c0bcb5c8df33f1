package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import wgangp.io.ReferenceFixture;
import wgangp.model.Engine;

/**
 * Agreement with PyTorch's double-backprop gradients, from a fixture the reference script wrote,
 * for the host engine and for the device engine (ND4J ops; on the CPU backend here).
 */
class GradientCheckTest {
    static final String FIXTURE = "src/test/resources/reference-grads.json.gz";

    private static GradientCheck.Result check(Engine engine) {
        return GradientCheck.run(ReferenceFixture.read(FIXTURE, new Configuration()), engine);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"HOST", "DEVICE"})
    void lossesMatchPyTorch(Engine engine) {
        GradientCheck.Result result = check(engine);
        assertEquals(result.referenceCriticLoss(), result.criticLoss(), 1e-5 * Math.abs(result.referenceCriticLoss()));
        assertEquals(result.referenceGradientPenalty(), result.gradientPenalty(), 1e-5);
        assertEquals(result.referenceWassersteinTerm(), result.wassersteinTerm(), 1e-5);
        assertEquals(result.referenceGeneratorLoss(), result.generatorLoss(), 1e-5);
        assertTrue(result.fakeMaxAbsError() < 1e-5, "G(z) matches the fixture's fake batch");
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"HOST", "DEVICE"})
    void everyCriticGradientTensorMatchesPyTorch(Engine engine) {
        GradientCheck.Result result = check(engine);
        assertEquals(6, result.criticErrors().size());
        result.criticErrors().forEach((name, err) -> assertTrue(err < 1e-4, name + " relative error " + err));
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"HOST", "DEVICE"})
    void everyGeneratorGradientTensorMatchesPyTorch(Engine engine) {
        GradientCheck.Result result = check(engine);
        // 5 Linear layers (weight, bias) and 3 BatchNorm layers (γ, β)
        assertEquals(16, result.generatorErrors().size());
        result.generatorErrors().forEach((name, err) -> assertTrue(err < 1e-4, name + " relative error " + err));
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"HOST", "DEVICE"})
    void generatorGradientFlowsThroughTheGenerator(Engine engine) {
        // a generator step on a detached G(z) would leave every generator gradient at zero
        for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> e : check(engine).generatorGradients().entrySet()) {
            if (e.getKey().endsWith(".weight")) {
                assertTrue(e.getValue().amaxNumber().doubleValue() > 0, e.getKey() + " has a gradient");
            }
        }
    }

    @Test
    void theCommandChecksTheChosenEngineAndRefusesAnUnknownOne() {
        MainRun ok = MainRun.of("check-gradients", "--fixture", FIXTURE, "--engine", "device");
        MainRun bad = MainRun.of("check-gradients", "--fixture", FIXTURE, "--engine", "gpu");

        assertEquals(ExitCodes.OK, ok.exit(), ok.toString());
        assertTrue(ok.stdout().contains("\"engine\":\"device\"") && ok.stdout().contains("\"ok\":true"),
                ok.stdout());
        assertEquals(ExitCodes.BAD_CONFIG, bad.exit());
        assertTrue(bad.stderr().contains("--engine: unknown engine 'gpu'"), bad.stderr());
    }
}
