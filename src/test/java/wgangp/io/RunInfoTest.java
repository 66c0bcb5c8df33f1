package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory as browse reads it: grids, checkpoints, evaluations, progress, config. */
class RunInfoTest {
    @TempDir
    java.nio.file.Path tmp;
    FileSystem fs;
    Path root;

    @BeforeEach
    void setUp() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
        root = new Path(tmp.toUri().toString(), "run");
    }

    @Test
    void readsGridsCheckpointsEvaluationsAndProgress() throws IOException {
        RunFixture f = RunFixture.at(fs, root, 2e-4, 7).metrics(11, 4).grids(250, 8, 16).checkpoints(20, 30, 40)
                .eval("step-0000040", 40, 30.5).eval("step-0000020", 20, 50.25);
        // A torn checkpoint (state.bin cut short after its manifest was written) and one never finished.
        Path torn = new Path(f.run().checkpoints().dir(), "step-0000030/" + Checkpoints.STATE);
        byte[] cut;
        try (var in = fs.open(torn)) {
            cut = in.readNBytes(30);
        }
        try (FSDataOutputStream out = fs.create(torn, true)) {
            out.write(cut);
        }
        fs.mkdirs(new Path(f.run().checkpoints().dir(), "step-0000060"));
        AtomicFiles.writeText(fs, new Path(f.run().file(RunDirectory.EVAL), "broken.json"), "{\"fid\": ");

        RunInfo info = RunInfo.read(f.run());

        assertEquals(List.of("000_0000008.png", "000_0000016.png", "002_0000250.png"),
                info.grids().stream().map(SampleGridFile::name).toList(), "grids in step order, not name order");
        assertEquals(List.of(8L, 16L, 250L), info.grids().stream().map(SampleGridFile::step).toList());
        assertEquals(List.of(0L, 0L, 2L), info.grids().stream().map(SampleGridFile::epoch).toList());
        for (SampleGridFile g : info.grids()) {
            assertEquals(fs.getFileStatus(new Path(f.run().samples(), g.name())).getLen(), g.bytes());
        }

        List<CheckpointSummary> cps = info.checkpoints();
        assertEquals(List.of("step-0000020", "step-0000030", "step-0000040", "step-0000060"),
                cps.stream().map(CheckpointSummary::name).toList());
        assertEquals(List.of(true, false, true, false), cps.stream().map(CheckpointSummary::complete).toList());
        assertTrue(cps.get(1).problem().startsWith("state.bin has 30 bytes"), cps.get(1).problem());
        assertTrue(cps.get(3).problem().contains("MANIFEST"), cps.get(3).problem());
        assertEquals(20, cps.get(0).generatorSteps());
        assertEquals(100, cps.get(0).criticIters());
        assertEquals(200, cps.get(2).criticIters());
        assertEquals("step-0000040", info.latestComplete().orElseThrow().name());
        assertEquals("step-0000040", info.latestName());

        // broken.json is skipped; the latest evaluation is the one with the most generator steps
        assertEquals(List.of("step-0000020", "step-0000040"), info.evals().stream().map(EvalRecord::checkpoint).toList());
        assertEquals(30.5, info.latestEval().orElseThrow().fid());

        // progress comes from the last metrics line (step 44), ahead of the newest checkpoint (40)
        assertEquals(11, info.metricsRounds());
        assertEquals(44, info.generatorSteps());
        assertEquals(220, info.criticIters());
        assertEquals(0.44, info.lastMetric("epoch"), 1e-12);
        assertEquals(2.0 / 11, info.lastMetric("wasserstein_estimate"), 1e-12);

        assertEquals("0.0002", info.configValue("lr"));
        assertEquals("10", info.configValue("lambdaGp"));
        assertEquals("7", info.configValue("seed"));
        assertEquals("32,64", info.configValue("generator.hidden"));
        assertEquals("?", info.configValue("noSuchKey"));
        assertEquals(Map.of(RunInfo.INDEX, false, "samples/progress.gif", true, "metrics.jsonl", true,
                "config.json", true, "provenance.json", true), info.files());
    }

    @Test
    void withoutMetricsTheProgressIsTheNewestCompleteCheckpoints() throws IOException {
        RunFixture f = RunFixture.at(fs, root, 1e-3, 1).checkpoints(12, 24).index();
        RunInfo info = RunInfo.read(f.run());
        assertNull(info.lastMetrics());
        assertEquals(24, info.generatorSteps());
        assertEquals(120, info.criticIters());
        assertTrue(Double.isNaN(info.lastMetric("epoch")));
        assertTrue(info.files().get(RunInfo.INDEX));
        assertFalse(info.files().get("samples/progress.gif"));
        assertTrue(info.grids().isEmpty());
        assertTrue(info.latestEval().isEmpty());
    }

    @Test
    void aRunWithNothingTrainedHasNoProgress() throws IOException {
        RunFixture f = RunFixture.at(fs, root, 1e-3, 1);
        fs.mkdirs(f.run().samples());
        RunInfo info = RunInfo.read(f.run());
        assertEquals(-1, info.generatorSteps());
        assertTrue(info.latestComplete().isEmpty());
        assertTrue(info.checkpoints().isEmpty());
    }

    @Test
    void childRunsAreTheFoldersThatLookLikeRunsByName() throws IOException {
        Path parent = new Path(tmp.toUri().toString(), "runs");
        RunFixture.at(fs, new Path(parent, "b"), 1e-3, 1);
        RunFixture.at(fs, new Path(parent, "a"), 1e-3, 2);
        RunFixture.at(fs, new Path(parent, "._tmp-c-1234"), 1e-3, 3);
        fs.mkdirs(new Path(parent, "notes"));
        fs.mkdirs(new Path(parent, "d/checkpoints"));
        AtomicFiles.writeText(fs, new Path(parent, "README"), "x");
        RunDirectory dir = RunDirectory.at(parent.toString(), fs.getConf());
        assertEquals(List.of("a", "b", "d"), dir.childRuns().stream().map(r -> r.root().getName()).toList());
    }

    @Test
    void evalFilesReadEveryKeyOfTheirSchema() throws IOException {
        String json = "{\"checkpoint\": \"step-0004000\", \"generator_steps\": 4000, \"critic_iters\": 20000,"
                + " \"samples\": 1000, \"held_out\": 900, \"fid\": 12.3, \"fid_floor\": 1.2,"
                + " \"class_histogram\": [1,2,3,4,5,6,7,8,9,10], \"modes_covered\": 9, \"mean_confidence\": 0.93,"
                + " \"classifier_accuracy\": 0.985, \"seed\": 3, \"added_later\": {\"x\": 1}}";
        EvalRecord e = EvalRecord.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "e.json");
        assertEquals("step-0004000", e.checkpoint());
        assertEquals(4000L, e.generatorSteps());
        assertEquals(20000L, e.criticIters());
        assertEquals(1000, e.samples());
        assertEquals(900, e.heldOut());
        assertEquals(12.3, e.fid());
        assertEquals(1.2, e.fidFloor());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, e.classHistogram());
        assertEquals(9, e.modesCovered());
        assertEquals(0.93, e.meanConfidence());
        assertEquals(0.985, e.classifierAccuracy());
        assertEquals(3L, e.seed());

        IOException missing = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> EvalRecord.parse(
                "{\"checkpoint\": \"step-0000001\", \"generator_steps\": 1}".getBytes(), "eval/x.json"));
        assertTrue(missing.getMessage().startsWith("eval/x.json lacks") && missing.getMessage().contains("fid"),
                missing.getMessage());
        IOException malformed = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> EvalRecord.parse("[1, 2".getBytes(), "eval/y.json"));
        assertTrue(malformed.getMessage().startsWith("eval/y.json is not an eval result"), malformed.getMessage());
    }
}
