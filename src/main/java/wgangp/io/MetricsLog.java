package wgangp.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import wgangp.distributed.RoundReport;
import wgangp.distributed.TrainingListener;
import wgangp.train.LossSums;
import wgangp.train.TrainingState;

/**
 * {@code metrics.jsonl}: one JSON object per round. The file is rewritten atomically from memory
 * (Hadoop file systems cannot all append), at most every {@code flushMillis} and at the end, so a
 * reader never sees a torn line. On resume, lines after the checkpoint's step are dropped: those
 * rounds are about to be trained again.
 */
public final class MetricsLog implements TrainingListener {
    private final FileSystem fs;
    private final Path file;
    private final long flushMillis;
    private final StringBuilder content = new StringBuilder();
    private long lastFlush;
    private boolean dirty;

    public MetricsLog(FileSystem fs, Path file, long flushMillis) {
        this.fs = fs;
        this.file = file;
        this.flushMillis = flushMillis;
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
        content.append(Json.line(line)).append('\n');
        dirty = true;
        if (r.last() || System.currentTimeMillis() - lastFlush >= flushMillis) {
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
