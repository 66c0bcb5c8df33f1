package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import wgangp.io.ReferenceFixture;
import wgangp.model.Engine;

/**
 * The layer-based dcgan networks against PyTorch's double-backprop gradients, from two fixtures of
 * the reference's {@code grads --arch dcgan} with different D, batch, λ, latent size and seed:
 * D=4, batch 5, λ 10, latent 8, seed 3, and D=6, batch 4, λ 5, latent 12, seed 11.
 */
class DcganGradientCheckTest {
    private static final String D4 = "src/test/resources/reference-grads-dcgan-d4.json.gz";
    private static final String D6 = "src/test/resources/reference-grads-dcgan-d6.json.gz";
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({D4 + ",HOST", D6 + ",HOST", D4 + ",DEVICE", D6 + ",DEVICE"})
    void lossesAndEveryGradientTensorMatchPyTorchOnBothEngines(String fixture, Engine engine) {
        ReferenceFixture f = ReferenceFixture.read(fixture, new Configuration());
        assertEquals("dcgan", f.arch());
        GradientCheck.Result r = GradientCheck.run(f, engine);
        assertTrue(r.lossError() < TOLERANCE, "loss relative error " + r.lossError());
        assertTrue(r.fakeMaxAbsError() < 1e-5, "G(z) matches the fixture's fake batch: " + r.fakeMaxAbsError());
        // conv1, conv2, fc: weight and bias each
        assertEquals(6, r.criticErrors().size());
        // fc, bn0, up1, bn1, up2: weight and bias each
        assertEquals(10, r.generatorErrors().size());
        r.criticErrors().forEach((name, err) -> assertTrue(err < TOLERANCE, name + " relative error " + err));
        r.generatorErrors().forEach((name, err) -> assertTrue(err < TOLERANCE, name + " relative error " + err));
    }

    @Test
    void thePenaltyMovesTheCriticGradient() {
        // the fixtures' λ·GP dominates the loss; a dropped penalty term would miss PyTorch by far more
        // than the tolerance, so also check that the penalty is not negligible there
        GradientCheck.Result r = GradientCheck.run(ReferenceFixture.read(D4, new Configuration()));
        assertTrue(r.gradientPenalty() > 0.1, "penalty " + r.gradientPenalty());
        assertTrue(r.criticGradients().get("conv1.weight").amaxNumber().doubleValue() > 0);
    }

    @Test
    void theCommandReadsTheArchitectureFromTheFixture() {
        MainRun p = MainRun.of("check-gradients", "--fixture", D6);
        assertEquals(ExitCodes.OK, p.exit(), p.stdout() + p.stderr());
        assertTrue(p.stdout().contains("\"critic.conv2.weight\"") && p.stdout().contains("\"ok\":true"), p.stdout());
    }

    @Test
    void aFixtureWhoseTensorsDoNotMatchItsArchIsRefusedInOneLine() throws IOException {
        ObjectNode root = read(GradientCheckTest.FIXTURE);
        root.put("arch", "dcgan");
        root.put("dim", 8);
        Path bad = tmp.resolve("mlp-tensors-labelled-dcgan.json.gz");
        write(root, bad);
        MainRun p = MainRun.of("check-gradients", "--fixture", bad.toString());
        assertEquals(ExitCodes.BAD_CONFIG, p.exit(), p.stdout() + p.stderr());
        assertEquals(1, p.stderr().strip().lines().count(), p.stderr());
        assertTrue(p.stderr().contains("the fixture's critic has no tensor conv1.weight"), p.stderr());
    }

    @Test
    void anUnknownArchIsRefusedInOneLine() throws IOException {
        ObjectNode root = read(D4);
        root.put("arch", "resnet");
        Path bad = tmp.resolve("resnet.json.gz");
        write(root, bad);
        MainRun p = MainRun.of("check-gradients", "--fixture", bad.toString());
        assertEquals(ExitCodes.BAD_INPUT, p.exit(), p.stdout() + p.stderr());
        assertEquals(1, p.stderr().strip().lines().count(), p.stderr());
        assertTrue(p.stderr().contains("unknown arch 'resnet'"), p.stderr());
    }

    private static ObjectNode read(String gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(gz)))) {
            return (ObjectNode) new ObjectMapper().readTree(in);
        }
    }

    private static void write(ObjectNode root, Path to) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            new ObjectMapper().writeValue(out, root);
        }
    }
}
