package wgangp.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import wgangp.distributed.RoundPhases;
import wgangp.distributed.RoundReport;
import wgangp.distributed.TrainingListener;
import wgangp.train.LossSums;
import wgangp.train.TrainingState;

/**
 * {@code metrics.jsonl}: one JSON object per round. The file is rewritten atomically from memory
 * (Hadoop file systems cannot all append), at most every {@code flushMillis}, at the end, and at
 * every round that writes a checkpoint, so a reader never sees a torn line. On resume, lines after
 * the checkpoint's step are dropped: those rounds are about to be trained again. The lines up to
 * the checkpoint's step are kept, so they must be on disk before the checkpoint is: the log must
 * see each round before the {@link CheckpointWriter} does, or a driver killed in between would
 * leave a resumed run's metrics with a gap.
 */
public final class MetricsLog implements TrainingListener {
    private final FileSystem fs;
    private final Path file;
    private final long flushMillis;
    private final int checkpointInterval;
    private final StringBuilder content = new StringBuilder();
    private long lastFlush;
    private boolean dirty;

    /** {@code checkpointInterval} as the {@link CheckpointWriter} has it: rounds that cross a multiple flush. */
    public MetricsLog(FileSystem fs, Path file, long flushMillis, int checkpointInterval) {
        if (checkpointInterval < 1) {
            throw new IllegalArgumentException("checkpointInterval must be >= 1, got " + checkpointInterval);
        }
        this.fs = fs;
        this.file = file;
        this.flushMillis = flushMillis;
        this.checkpointInterval = checkpointInterval;
    }

    @Override
    public void onStart(TrainingState state, long totalSteps) throws IOException {
        String old = RunDirectory.readText(fs, file);
        if (old != null) {
            for (String line : old.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode step = parseOrNull(line);
                if (step != null && step.path("step").asLong(Long.MAX_VALUE) <= state.generatorSteps()) {
                    content.append(line).append('\n');
                }
            }
            dirty = true;
            flush();
        }
        lastFlush = System.currentTimeMillis();
    }

    @Override
    public void onRound(RoundReport r) throws IOException {
        LossSums m = r.meanLosses();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", r.generatorSteps());
        line.put("critic_iters", r.criticIters());
        line.put("epoch", round(r.epoch(), 6));
        line.put("critic_loss", m.criticLoss());
        line.put("wasserstein_estimate", m.wassersteinEstimate());
        line.put("gradient_penalty", m.gradientPenalty());
        line.put("generator_loss", m.generatorLoss());
        line.put("images_per_s", round(r.imagesPerSecond(), 1));
        line.put("round_seconds", round(r.roundSeconds(), 4));
        line.put("sync_seconds", round(r.syncSeconds(), 4));
        RoundPhases p = r.phases();
        line.put("broadcast_s", round(p.broadcast(), 4));
        line.put("task_launch_s", round(p.taskLaunch(), 4));
        line.put("setup_s", round(p.setup(), 4));
        line.put("compute_s", round(p.compute(), 4));
        line.put("result_s", round(p.result(), 4));
        line.put("aggregate_s", round(p.aggregate(), 4));
        line.put("average_s", round(p.average(), 4));
        line.put("outer_s", round(p.outer(), 4));
        line.put("allreduce_s", round(r.allreduce().seconds(), 4));
        line.put("allreduce_calls", r.allreduce().calls());
        line.put("allreduce_mb", round(r.allreduce().bytes() / 1e6, 3));
        if (r.noise().count() > 0) {
            line.put("noise_scale_critic", round(r.noise().criticScale(), 1));
            line.put("noise_scale_generator", round(r.noise().generatorScale(), 1));
        }
        content.append(Json.line(line)).append('\n');
        dirty = true;
        if (r.last() || r.crossedMultipleOf(checkpointInterval)
                || System.currentTimeMillis() - lastFlush >= flushMillis) {
            flush();
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    private void flush() throws IOException {
        if (dirty) {
            AtomicFiles.writeText(fs, file, content.toString());
            dirty = false;
        }
        lastFlush = System.currentTimeMillis();
    }

    private static JsonNode parseOrNull(String line) {
        try {
            return Json.parse(line, "metrics line");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
