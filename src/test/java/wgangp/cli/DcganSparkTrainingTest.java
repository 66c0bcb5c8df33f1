package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import wgangp.data.IdxImages;
import wgangp.data.IdxReader;
import wgangp.io.Checkpoints;
import wgangp.io.Json;
import wgangp.job.ConfigSources;
import wgangp.job.JobConfig;
import wgangp.model.Architecture;
import wgangp.model.DcganSpec;

/** {@code train}, {@code --resume} and {@code sample} with model=dcgan on {@code local[2]}, in this JVM. */
@Tag("integration")
@ExtendWith(LocalSparkMaster.class)
class DcganSparkTrainingTest {
    private static final String[] DCGAN = {"--set", "model=dcgan", "--set", "dcgan.dim=4", "--workers", "2",
        "--segment-steps", "4", "--sample-interval", "4", "--checkpoint-interval", "100"};

    @TempDir
    Path tmp;

    @Test
    void aResumedRunEndsBitIdenticalToAnUninterruptedOneAndSamples() throws Exception {
        String whole = tmp.resolve("whole").toString();
        String split = tmp.resolve("split").toString();
        assertEquals(ExitCodes.OK, Main.run(LocalSparkTrainingTest.concat(TrainingRuns.args(whole, DCGAN),
                "--max-critic-iters", "60")));
        assertEquals(ExitCodes.OK, Main.run(LocalSparkTrainingTest.concat(TrainingRuns.args(split, DCGAN),
                "--max-critic-iters", "40")));
        assertEquals("step-0000008", TrainingRuns.latest(split, new Configuration()).name());

        // a resumed run may not change the model; the run directory stays as it was
        Map<String, String> before = LocalSparkTrainingTest.snapshot(Path.of(split));
        assertEquals(ExitCodes.BAD_CONFIG, Main.run("train", "--out", split, "--resume", "--set", "model=mlp",
                "--max-critic-iters", "60"));
        assertEquals(ExitCodes.BAD_CONFIG, Main.run("train", "--out", split, "--resume", "--set", "dcgan.dim=8",
                "--max-critic-iters", "60"));
        assertEquals(before, LocalSparkTrainingTest.snapshot(Path.of(split)));

        assertEquals(ExitCodes.OK, Main.run("train", "--out", split, "--resume", "--max-critic-iters", "60"));
        Checkpoints.Checkpoint a = TrainingRuns.latest(whole, new Configuration());
        Checkpoints.Checkpoint b = TrainingRuns.latest(split, new Configuration());
        assertEquals("step-0000012", b.name());
        assertArrayEquals(wgangp.io.StateCodec.encode(a.state()), wgangp.io.StateCodec.encode(b.state()));
        assertArrayEquals(Files.readAllBytes(Path.of(whole, "samples/000_0000012.png")),
                Files.readAllBytes(Path.of(split, "samples/000_0000012.png")));

        JobConfig saved = JobConfig.fromMap(ConfigSources.json(Files.readString(Path.of(whole, "config.json")),
                "config.json"), Map.of(), "config.json");
        assertEquals(Architecture.DCGAN, saved.model());
        assertEquals(4, saved.dcganDim());
        // the checkpoint holds the dcgan's tensors: its generator and critic have exactly these lengths
        DcganSpec spec = saved.model(784).dcgan();
        assertEquals(spec.generator().parameterLength(), a.state().generatorParams().length);
        assertEquals(spec.critic().parameterLength(), a.state().criticParams().length);
        assertEquals(3, LocalSparkTrainingTest.pngs(Path.of(whole, "samples")).size());
        List<String> metrics = Files.readAllLines(Path.of(whole, "metrics.jsonl"));
        assertEquals(3, metrics.size());
        for (String line : metrics) {
            assertTrue(Double.isFinite(Json.parse(line, "metrics").get("gradient_penalty").asDouble()), line);
        }

        Path idx = tmp.resolve("samples.idx.gz");
        assertEquals(ExitCodes.OK, Main.run("sample", "--checkpoint", whole, "--count", "5", "--seed", "3",
                "--out", idx.toString()));
        IdxImages images = IdxReader.readImages(idx.toString(), new Configuration());
        assertEquals(5, images.count());
        assertEquals(28, images.rows());
        assertEquals(28, images.cols());
        int lowest = 255;
        int highest = 0;
        for (int p = 0; p < 784; p++) {
            lowest = Math.min(lowest, images.pixel(0, p));
            highest = Math.max(highest, images.pixel(0, p));
        }
        assertTrue(highest > lowest, "a generated image is not one flat colour");
    }
}
