package wgangp.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What {@code index.html} shows, read from a run directory into the JSON the page embeds:
 * {@code config.json}, {@code provenance.json}, {@code metrics.jsonl} as columns, the sample grids,
 * {@code samples/progress.gif} and the evaluation results {@code eval/*.json}.
 *
 * <p>The data is embedded rather than fetched because browsers refuse {@code fetch()} of local
 * files, and the page must work from a copied run directory. Files another program writes
 * (evaluation results) may be malformed; such a file is left out and named in {@code problems}
 * instead of failing the page.
 */
public final class GalleryModel {
    /** The metrics columns, as {@link MetricsLog} writes them. */
    static final List<String> METRICS = List.of("step", "critic_iters", "epoch", "critic_loss",
            "wasserstein_estimate", "gradient_penalty", "generator_loss", "images_per_s", "round_seconds",
            "sync_seconds", "allreduce_s", "noise_scale_critic", "noise_scale_generator");
    /** More points than a chart has pixels only make the page heavier; longer runs keep every k-th round. */
    static final int MAX_POINTS = 4000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Where the run stands: generator steps done, and of how many ({@code totalSteps} < 0: unknown). */
    public record Progress(long step, long totalSteps) {
        public boolean finished() {
            return totalSteps >= 0 && step >= totalSteps;
        }
    }

    private GalleryModel() {
    }

    /** The page's data for the run directory {@code root}. */
    public static ObjectNode read(FileSystem fs, Path root, Progress progress) throws IOException {
        List<String> problems = new ArrayList<>();
        ObjectNode page = NODES.objectNode();
        // Path(String) drops a trailing slash, which Path(URI) keeps and getName() would return empty.
        page.put("run", new Path(root.toUri().getPath()).getName());
        page.put("location", root.toString());
        page.put("written_at", Instant.now().toString());
        ObjectNode p = page.putObject("progress");
        p.put("step", progress.step());
        if (progress.totalSteps() >= 0) {
            p.put("total_steps", progress.totalSteps());
        } else {
            p.putNull("total_steps");
        }
        p.put("finished", progress.finished());
        page.set("config", jsonFile(fs, new Path(root, RunDirectory.CONFIG), RunDirectory.CONFIG, problems));
        page.set("provenance", jsonFile(fs, new Path(root, RunDirectory.PROVENANCE), RunDirectory.PROVENANCE,
                problems));
        page.set("metrics", metrics(RunDirectory.readText(fs, new Path(root, RunDirectory.METRICS)), problems));
        Path samples = new Path(root, RunDirectory.SAMPLES);
        page.set("grids", grids(fs, samples));
        if (fs.exists(new Path(samples, ProgressGif.NAME))) {
            page.put("gif", RunDirectory.SAMPLES + "/" + ProgressGif.NAME);
        } else {
            page.putNull("gif");
        }
        page.set("evaluations", evaluations(fs, new Path(root, RunDirectory.EVAL), problems));
        ArrayNode notes = page.putArray("problems");
        problems.forEach(notes::add);
        return page;
    }

    /**
     * {@code metrics.jsonl} as one array per field (what a chart takes), {@code null} where a line
     * lacks the field; {@code rounds} counts the lines and {@code stride} says which were kept.
     */
    static ObjectNode metrics(String jsonl, List<String> problems) {
        List<String> lines = jsonl == null ? List.of()
                : Arrays.stream(jsonl.split("\n")).filter(l -> !l.isBlank()).toList();
        int stride = Math.max(1, (lines.size() + MAX_POINTS - 1) / MAX_POINTS);
        List<JsonNode> kept = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            // Only the kept lines are parsed: the page is rewritten often. The last round is kept
            // whatever the stride, it is the one people look for.
            if (i % stride == 0 || i == lines.size() - 1) {
                try {
                    kept.add(Json.parse(lines.get(i), RunDirectory.METRICS + " round " + (i + 1)));
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        ObjectNode columns = NODES.objectNode();
        columns.put("rounds", lines.size());
        columns.put("stride", stride);
        for (String field : METRICS) {
            ArrayNode values = columns.putArray(field);
            for (JsonNode line : kept) {
                JsonNode v = line.get(field);
                values.add(v != null && v.isNumber() ? v : NODES.nullNode());
            }
        }
        return columns;
    }

    private static ArrayNode grids(FileSystem fs, Path samples) throws IOException {
        ArrayNode out = NODES.arrayNode();
        for (SampleGridFile g : SampleGridFile.list(fs, samples)) {
            out.addObject().put("file", RunDirectory.SAMPLES + "/" + g.name()).put("epoch", g.epoch())
                    .put("step", g.step());
        }
        return out;
    }

    /** The readable {@code eval/*.json} results in step order, each with its {@code file}. */
    private static ArrayNode evaluations(FileSystem fs, Path dir, List<String> problems) throws IOException {
        List<ObjectNode> results = new ArrayList<>();
        for (FileStatus s : EvalRecord.files(fs, dir)) {
            String relative = RunDirectory.EVAL + "/" + s.getPath().getName();
            JsonNode result = jsonFile(fs, s.getPath(), relative, problems);
            if (result == null || result.isNull()) {
                continue;
            }
            if (!result.isObject() || !result.path("generator_steps").isNumber() || !result.path("fid").isNumber()) {
                problems.add(relative + " is left out: it needs numbers generator_steps and fid");
                continue;
            }
            ObjectNode o = ((ObjectNode) result).deepCopy();
            o.put("file", relative);
            results.add(o);
        }
        results.sort(Comparator.comparingLong((ObjectNode o) -> o.get("generator_steps").asLong())
                .thenComparing(o -> o.get("file").asText()));
        ArrayNode out = NODES.arrayNode();
        results.forEach(out::add);
        return out;
    }

    /** The file's JSON; JSON null when it is absent or unreadable (the latter noted in problems). */
    private static JsonNode jsonFile(FileSystem fs, Path file, String name, List<String> problems) throws IOException {
        String text = RunDirectory.readText(fs, file);
        if (text == null) {
            return NODES.nullNode();
        }
        try {
            JsonNode node = Json.parse(text, name);
            if (node == null || node.isMissingNode()) {
                problems.add(name + " is empty");
                return NODES.nullNode();
            }
            return node;
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return NODES.nullNode();
        }
    }
}
