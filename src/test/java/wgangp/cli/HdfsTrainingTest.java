package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.Checkpoints;
import wgangp.io.Json;
import wgangp.job.JobConfig;
import wgangp.train.States;

/** The train and gif commands against a real HDFS: data read from hdfs://, every output written there. */
@Tag("integration")
@ExtendWith(LocalSparkMaster.class)
class HdfsTrainingTest {
    @TempDir
    static Path tmp;
    static MiniHdfs cluster;
    static FileSystem fs;
    static String hdfs;

    @BeforeAll
    static void startHdfs() throws Exception {
        cluster = MiniHdfs.withTrainingImages(tmp.resolve("dfs"));
        fs = cluster.fs();
        hdfs = cluster.uri();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void trainsFromAndIntoHdfs() throws Exception {
        String out = hdfs + "/runs/a";
        String[] args = TrainingRuns.args(out, "--workers", "2", "--segment-steps", "4",
                "--max-critic-iters", "40", "--sample-interval", "4", "--checkpoint-interval", "4",
                "--keep-checkpoints", "1");
        args[Arrays.asList(args).indexOf(TrainingRuns.DATA)] = hdfs + MiniHdfs.DATA;
        assertEquals(ExitCodes.OK, Main.run(args));

        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(out);
        List<String> samples = Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(root, "samples")))
                .map(FileStatus::getPath).map(org.apache.hadoop.fs.Path::getName).sorted().toList();
        assertEquals(List.of("000_0000004.png", "000_0000008.png", "progress.gif"), samples);
        List<String> checkpoints = Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(root, "checkpoints")))
                .map(FileStatus::getPath).map(org.apache.hadoop.fs.Path::getName).sorted().toList();
        assertEquals(List.of("latest", "step-0000008"), checkpoints, "older checkpoints pruned, no temp dirs left");
        Checkpoints.Checkpoint c = TrainingRuns.latest(out, fs.getConf());
        assertEquals(8, c.state().generatorSteps());
        JsonNode provenance = Json.parse(c.provenanceJson(), "provenance");
        assertEquals(hdfs + MiniHdfs.DATA + "/train-images-idx3-ubyte.gz", provenance.get("data").asText());
        assertEquals(2, text(new org.apache.hadoop.fs.Path(root, "metrics.jsonl")).split("\n").length);
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(root, "config.json")));
        // Same bytes as the computation without Spark or HDFS.
        JobConfig config = TrainingRuns.config(Map.of("workers", "2", "segmentSteps", "4"));
        assertTrue(States.sameValues(TrainingRuns.expected(config, 8), c.state()));

        // Resume on HDFS, and the gif command on the run.
        assertEquals(ExitCodes.OK, Main.run("train", "--out", out, "--resume", "--max-critic-iters", "60"));
        assertEquals(12, TrainingRuns.latest(out, fs.getConf()).state().generatorSteps());
        fs.delete(new org.apache.hadoop.fs.Path(root, "samples/progress.gif"), false);
        assertEquals(ExitCodes.OK, Main.run("gif", "--run", out));
        assertTrue(fs.getFileStatus(new org.apache.hadoop.fs.Path(root, "samples/progress.gif")).getLen() > 0);
    }

    static String text(org.apache.hadoop.fs.Path p) throws Exception {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
