package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.distributed.RoundPhases;
import wgangp.distributed.AllreduceTimes;
import wgangp.distributed.RoundReport;
import wgangp.train.GradientNoise;
import wgangp.train.LossSums;
import wgangp.train.TrainingState;

class MetricsLogTest {
    @TempDir
    Path tmp;

    /** Phases of a 1.5 s round. */
    static final RoundPhases PHASES = new RoundPhases(0.1, 0.05, 0.2, 1.0, 0.05, 0.03, 0.02, 0.01);

    static TrainingState at(long step) {
        float[] none = new float[0];
        return TrainingState.of(name -> none, step, 5 * step);
    }

    @Test
    void oneLinePerRoundAndResumeDropsLinesPastTheCheckpoint() throws IOException {
        Path file = tmp.resolve("metrics.jsonl");
        FileSystem fs = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
        try (MetricsLog log = new MetricsLog(fs, path, 60_000, 1000)) {
            log.onStart(at(0), 12);
            for (long step = 4; step <= 12; step += 4) {
                log.onRound(new RoundReport(step, 5 * step, step / 10.0, 4, new LossSums(1, 2, 3, 4, 1), 100, 1.5,
                        0.25, PHASES, at(step), step == 12, AllreduceTimes.NONE, GradientNoise.NONE));
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("{\"step\":4,\"critic_iters\":20,\"epoch\":0.4,\"critic_loss\":1.0,"
                + "\"wasserstein_estimate\":2.0,\"gradient_penalty\":3.0,\"generator_loss\":4.0,\"images_per_s\":100.0,"
                + "\"round_seconds\":1.5,\"sync_seconds\":0.25,\"broadcast_s\":0.1,\"task_launch_s\":0.05,"
                + "\"setup_s\":0.2,\"compute_s\":1.0,\"result_s\":0.05,\"aggregate_s\":0.03,\"average_s\":0.02,"
                + "\"outer_s\":0.01,\"allreduce_s\":0.0,\"allreduce_calls\":0,\"allreduce_mb\":0.0}"), lines.get(0));

        try (MetricsLog resumed = new MetricsLog(fs, path, 60_000, 1000)) {
            resumed.onStart(at(8), 12);
        }
        assertEquals(lines.subList(0, 2), Files.readAllLines(file));
    }

    /** A synchronous round adds its allreduce time and the noise scales: Σ tr(Σ) estimates / Σ |G|² estimates. */
    @Test
    void aSynchronousRoundRecordsTheAllreduceAndTheNoiseScales() throws IOException {
        Path file = tmp.resolve("metrics.jsonl");
        FileSystem fs = FileSystem.getLocal(new Configuration());
        try (MetricsLog log = new MetricsLog(fs, new org.apache.hadoop.fs.Path(file.toUri()), 60_000, 8)) {
            log.onStart(at(0), 4);
            log.onRound(new RoundReport(4, 20, 0.1, 4, new LossSums(1, 2, 3, 4, 1), 100, 1, 0.2, PHASES, at(4), true,
                    new AllreduceTimes(0.125, 14, 2_500_000), new GradientNoise(4, 300, 2, 50, 2)));
        }
        String line = Files.readAllLines(file).get(0);
        assertTrue(line.endsWith("\"outer_s\":0.01,\"allreduce_s\":0.125,\"allreduce_calls\":14,\"allreduce_mb\":2.5,\"noise_scale_critic\":75.0,"
                + "\"noise_scale_generator\":25.0}"), line);
    }

    @Test
    void aRoundThatWritesACheckpointIsOnDiskBeforeTheCheckpoint() throws IOException {
        Path file = tmp.resolve("metrics.jsonl");
        FileSystem fs = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
        // Nothing closes the log: the driver is killed after the round that reaches step 8.
        MetricsLog log = new MetricsLog(fs, path, 60_000, 8);
        log.onStart(at(0), 40);
        log.onRound(new RoundReport(4, 20, 0.1, 4, new LossSums(1, 2, 3, 4, 1), 100, 1, 0, PHASES, at(4), false, AllreduceTimes.NONE, GradientNoise.NONE));
        assertFalse(Files.exists(file), "no flush before the interval");
        log.onRound(new RoundReport(12, 60, 0.3, 8, new LossSums(1, 2, 3, 4, 1), 100, 1, 0, PHASES, at(12), false, AllreduceTimes.NONE, GradientNoise.NONE));
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith("{\"step\":12,"), lines.get(1));

        MetricsLog resumed = new MetricsLog(fs, path, 60_000, 8);
        resumed.onStart(at(12), 40);
        assertEquals(lines, Files.readAllLines(file));
    }
}
