package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.data.IdxFixtures;
import wgangp.io.Checkpoints;
import wgangp.io.Json;
import wgangp.job.JobConfig;
import wgangp.train.WganGpConfig;
import wgangp.train.WganGpStep;

/**
 * {@code evaluate} refuses bad input with its exit code and one line naming the file, before
 * Spark starts (no master is set here, so getting as far as Spark would fail differently) and
 * without writing anything.
 */
class EvaluateInputTest {
    @TempDir
    Path tmp;

    @Test
    void aRunWithoutCheckpoints() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run/checkpoints"));
        assertRefused(ExitCodes.BAD_INPUT, "holds no complete checkpoint", "evaluate", "--run", tmp.resolve("run").toString());
        assertFalse(Files.exists(tmp.resolve("run/eval")));
        assertTrue(Files.isDirectory(run));
    }

    @Test
    void aRunThatDoesNotExist() {
        assertRefused(ExitCodes.BAD_INPUT, "nowhere", "evaluate", "--run", tmp.resolve("nowhere").toString());
    }

    @Test
    void aCheckpointOfImagesThatAreNotDigits() throws Exception {
        writeCheckpoint(tmp.resolve("run"), 20);
        assertRefused(ExitCodes.BAD_INPUT, "20x20", "evaluate", "--run", tmp.resolve("run").toString());
        assertFalse(Files.exists(tmp.resolve("run/eval")));
    }

    @Test
    void samplesOfTheWrongSize() throws Exception {
        Path samples = Files.write(tmp.resolve("small.idx"), IdxFixtures.images(50, 20, 20));
        Path out = tmp.resolve("out.json");
        assertRefused(ExitCodes.BAD_INPUT, samples.getFileName().toString(), "evaluate", "--samples", samples.toString(),
                "--out", out.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void dataWithoutHeldOutLabels() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("mnist"));
        for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz")) {
            Files.copy(IdxFixtures.BUNDLED.resolve(name), data.resolve(name));
        }
        Path samples = Files.write(tmp.resolve("s.idx"), IdxFixtures.images(50, 28, 28));
        Path out = tmp.resolve("out.json");
        assertRefused(ExitCodes.BAD_INPUT, "t10k-labels-idx1-ubyte", "evaluate", "--samples", samples.toString(),
                "--out", out.toString(), "--data", data.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void aClassifierFileThatIsNotAClassifier() throws Exception {
        Path samples = Files.write(tmp.resolve("s.idx"), IdxFixtures.images(50, 28, 28));
        Path classifier = Files.writeString(tmp.resolve("cnn.zip"), "not a model");
        Path out = tmp.resolve("out.json");
        assertRefused(ExitCodes.BAD_INPUT, "cnn.zip", "evaluate", "--samples", samples.toString(), "--out",
                out.toString(), "--classifier", classifier.toString());
        assertFalse(Files.exists(out));
        assertEquals("not a model", Files.readString(classifier));
    }

    @Test
    void optionsThatDoNotGoTogether() throws Exception {
        Path samples = Files.write(tmp.resolve("s.idx"), IdxFixtures.images(50, 28, 28));
        String run = tmp.resolve("run").toString();
        assertRefused(ExitCodes.BAD_CONFIG, "--out", "evaluate", "--samples", samples.toString());
        assertRefused(ExitCodes.BAD_CONFIG, "--out", "evaluate", "--run", run, "--out", tmp.resolve("o.json").toString());
        assertRefused(ExitCodes.BAD_CONFIG, "--count", "evaluate", "--run", run, "--count", "1");
        assertRefused(ExitCodes.BAD_CONFIG, "--count", "evaluate", "--samples", samples.toString(), "--out",
                tmp.resolve("o.json").toString(), "--count", "10");
        // picocli's own usage error: exit 2, followed by the usage text
        assertEquals(ExitCodes.BAD_CONFIG, Main.run("evaluate", "--run", run, "--samples", samples.toString()));
        assertEquals(ExitCodes.BAD_CONFIG, Main.run("evaluate"));
    }

    /** A checkpoint of the small test model whose provenance records side × side images. */
    private static void writeCheckpoint(Path run, int side) throws Exception {
        JobConfig job = TrainingRuns.config(Map.of());
        WganGpConfig model = job.model(side * side);
        Checkpoints checkpoints = new Checkpoints(FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(run.resolve("checkpoints").toUri()));
        checkpoints.write(WganGpStep.initialState(model, 3), new float[model.generator().latentSize()],
                model.generator().latentSize(), Json.pretty(job.toJson()),
                "{\"image_rows\": " + side + ", \"image_cols\": " + side + "}");
    }

    private static void assertRefused(int expectedExit, String named, String... argv) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = Main.run(argv);
        } finally {
            System.setErr(original);
        }
        String stderr = captured.toString(StandardCharsets.UTF_8);
        original.print(String.join(" ", argv) + " -> " + exit + ": " + stderr);
        assertEquals(expectedExit, exit, () -> "stderr was: " + stderr);
        // Spark and Hadoop log a few warnings the first time this JVM touches them (log4j2-test.properties' pattern).
        List<String> lines = stderr.strip().lines().filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d WARN .*")).toList();
        assertEquals(1, lines.size(), () -> "expected one line on stderr, got: " + stderr);
        assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(named),
                () -> "the message should name " + named + ": " + stderr);
    }
}
