package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.data.IdxFixtures;
import wgangp.job.JobConfig;
import wgangp.model.Architecture;

/** The model and dcgan.dim keys, and the refusals that go with them, before any Spark starts. */
class DcganConfigTest {
    @TempDir
    Path tmp;

    @Test
    void theDefaultIsTheMlpAndDcganIsSelectable() {
        assertEquals(Architecture.MLP, TrainingRuns.config(Map.of()).model());
        JobConfig dcgan = TrainingRuns.config(Map.of("model", "dcgan", "dcgan.dim", "8"));
        assertEquals(Architecture.DCGAN, dcgan.model(784).architecture());
        assertEquals(8, dcgan.model(784).dcgan().dim());
        assertTrue(JobConfig.TRAINING_KEYS.containsAll(java.util.List.of("model", "dcgan.dim")));
    }

    @Test
    void aCheckpointWrittenBeforeTheModelKeyIsAnMlpRun() {
        Map<String, String> old = new java.util.LinkedHashMap<>(TrainingRuns.config(Map.of()).toStrings());
        old.remove("model");
        old.remove("dcgan.dim");
        assertEquals(Architecture.MLP, JobConfig.fromCheckpoint(old, "old checkpoint").model());
    }

    @Test
    void anUnknownModelIsRefusedInOneLine() {
        Refusal r = train(TrainingRuns.DATA, "--set", "model=resnet");
        assertEquals(ExitCodes.BAD_CONFIG, r.code);
        assertTrue(r.err.contains("model=resnet: unknown model 'resnet', expected one of [mlp, dcgan]"), r.err);
        assertEquals(1, r.errorLines(), r.err);
    }

    @Test
    void aDimBelowOneIsRefusedInOneLine() {
        Refusal r = train(TrainingRuns.DATA, "--set", "model=dcgan", "--set", "dcgan.dim=0");
        assertEquals(ExitCodes.BAD_CONFIG, r.code);
        assertTrue(r.err.contains("dcgan.dim=0: must be >= 1"), r.err);
        assertEquals(1, r.errorLines(), r.err);
    }

    @Test
    void imagesOtherThan28By28AreRefusedInOneLineAndNothingIsWritten() throws Exception {
        Path data = tmp.resolve("train-images-idx3-ubyte");
        Files.write(data, IdxFixtures.images(40, 20, 20));
        Refusal r = train(data.toString(), "--set", "model=dcgan");
        assertEquals(ExitCodes.BAD_CONFIG, r.code, r.err);
        assertTrue(r.err.contains("model=dcgan takes 28x28 images, ") && r.err.contains("holds 20x20 images"), r.err);
        assertEquals(1, r.errorLines(), r.err);
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    @Test
    void benchTakesSetLikeTrain() {
        MainRun p = MainRun.of("bench", "--set", "model=dcgan", "--set", "dcgan.dim=2", "--iters", "5", "--warmup", "0",
                "--batch", "4", "--data", TrainingRuns.DATA + "/train-images-idx3-ubyte.gz");
        assertEquals(ExitCodes.OK, p.exit(), p.stderr());
        assertTrue(p.stdout().contains("\"model\":\"dcgan\",\"dcgan_dim\":2") && p.stdout().contains("\"critic_iters\":5"),
                p.stdout());
        MainRun refused = MainRun.of("bench", "--set", "batch=8");
        assertEquals(ExitCodes.BAD_CONFIG, refused.exit());
        assertTrue(refused.stderr().contains("--set batch: bench takes it from --batch"), refused.stderr());
    }

    private record Refusal(int code, String err) {
        /** Lines of the refusal itself (Spark's start-up warnings aside). */
        long errorLines() {
            return err.lines().filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d WARN .*")).count();
        }
    }

    private Refusal train(String data, String... extra) {
        MainRun p = MainRun.of(LocalSparkTrainingTest.concat(new String[] {"train", "--data", data, "--out",
            tmp.resolve("run").toString(), "--batch", "16"}, extra));
        return new Refusal(p.exit(), p.stderr());
    }
}
