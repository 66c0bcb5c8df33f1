package wgangp.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/**
 * What a run directory holds, read without loading any checkpoint: its config, how far it got
 * (the last line of {@code metrics.jsonl}, the checkpoints' counters), its sample grids, its
 * evaluations and which of the files people look at are present.
 *
 * @param config        {@code config.json}, or null when it is missing or unreadable
 * @param lastMetrics   the last line of {@code metrics.jsonl}, or null when there is none
 * @param metricsRounds lines in {@code metrics.jsonl}
 * @param latestName    what {@code checkpoints/latest} names, or null
 * @param files         the files {@link #LOOKED_AT} in order, each with whether it is present
 * @param driver        the run's lock, or null when no driver holds it: whether one is training it now
 */
public record RunInfo(Path root, JsonNode config, JsonNode lastMetrics, int metricsRounds, List<SampleGridFile> grids,
                      List<CheckpointSummary> checkpoints, String latestName, List<EvalRecord> evals,
                      Map<String, Boolean> files, RunLock.Status driver) {

    public static final String INDEX = "index.html";
    /** The files a person opens first, relative to the run directory. */
    public static final List<String> LOOKED_AT = List.of(INDEX, RunDirectory.SAMPLES + "/" + ProgressGif.NAME,
            RunDirectory.METRICS, RunDirectory.CONFIG, RunDirectory.PROVENANCE);
    /** The config keys a listing shows. */
    public static final List<String> SUMMARY_KEYS = List.of("model", "workers", "batch", "nCritic", "lambdaGp", "lr",
            "seed");
    /** Keys added after runs were first written, with the value they stand for in such runs' configs. */
    private static final Map<String, String> BEFORE_THE_KEY = Map.of("model", "mlp");

    /** Reads {@code run}; a missing or malformed config or metrics file leaves its fields empty, with a warning. */
    public static RunInfo read(RunDirectory run) throws IOException {
        JsonNode config = readJson(run, RunDirectory.CONFIG);
        JsonNode last = null;
        int rounds = 0;
        String metrics = run.readText(RunDirectory.METRICS);
        if (metrics != null) {
            List<String> lines = metrics.lines().filter(l -> !l.isBlank()).toList();
            rounds = lines.size();
            if (rounds > 0) {
                last = parseOrWarn(lines.get(rounds - 1), run.file(RunDirectory.METRICS) + " (last line)");
            }
        }
        Checkpoints checkpoints = run.checkpoints();
        Map<String, Boolean> files = new LinkedHashMap<>();
        for (String f : LOOKED_AT) {
            files.put(f, run.fs().exists(run.file(f)));
        }
        return new RunInfo(run.root(), config, last, rounds, SampleGridFile.list(run.fs(), run.samples()),
                checkpoints.summaries(), checkpoints.latestName(),
                EvalRecord.list(run.fs(), run.file(RunDirectory.EVAL)), files,
                RunLock.read(run, Instant.now()).orElse(null));
    }

    public String name() {
        return root.getName();
    }

    /** The newest complete checkpoint, if any. */
    public Optional<CheckpointSummary> latestComplete() {
        for (int i = checkpoints.size() - 1; i >= 0; i--) {
            if (checkpoints.get(i).complete()) {
                return Optional.of(checkpoints.get(i));
            }
        }
        return Optional.empty();
    }

    /** The evaluation of the most trained checkpoint (largest generator_steps), if any. */
    public Optional<EvalRecord> latestEval() {
        return evals.isEmpty() ? Optional.empty() : Optional.of(evals.get(evals.size() - 1));
    }

    /** Generator steps done: the last metrics line's, else the newest complete checkpoint's, else -1. */
    public long generatorSteps() {
        if (lastMetrics != null && lastMetrics.hasNonNull("step")) {
            return lastMetrics.get("step").asLong();
        }
        return latestComplete().map(CheckpointSummary::generatorSteps).orElse(-1L);
    }

    /** Critic iterations per worker done, from the same source as {@link #generatorSteps}, else -1. */
    public long criticIters() {
        if (lastMetrics != null && lastMetrics.hasNonNull("critic_iters")) {
            return lastMetrics.get("critic_iters").asLong();
        }
        return latestComplete().map(CheckpointSummary::criticIters).orElse(-1L);
    }

    /** A metric of the last metrics line as a number, or NaN. */
    public double lastMetric(String key) {
        return lastMetrics != null && lastMetrics.get(key) != null && lastMetrics.get(key).isNumber()
                ? lastMetrics.get(key).asDouble() : Double.NaN;
    }

    /** A config value as text (numbers without trailing zeros, lists joined by commas), or "?" when unknown. */
    public String configValue(String key) {
        JsonNode v = config == null ? null : config.get(key);
        if (v == null || v.isNull()) {
            return config == null ? "?" : BEFORE_THE_KEY.getOrDefault(key, "?");
        }
        if (v.isNumber()) {
            return BigDecimal.valueOf(v.asDouble()).stripTrailingZeros().toPlainString();
        }
        if (v.isArray()) {
            StringBuilder out = new StringBuilder();
            v.forEach(e -> out.append(out.length() == 0 ? "" : ",").append(e.asText()));
            return out.toString();
        }
        return v.asText();
    }

    private static JsonNode readJson(RunDirectory run, String name) throws IOException {
        String text = run.readText(name);
        return text == null ? null : parseOrWarn(text, run.file(name).toString());
    }

    private static JsonNode parseOrWarn(String text, String source) {
        try {
            return Json.parse(text, source);
        } catch (IllegalArgumentException e) {
            System.err.println("warning: " + e.getMessage());
            return null;
        }
    }
}
