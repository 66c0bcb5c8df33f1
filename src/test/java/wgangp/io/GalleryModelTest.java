package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data index.html embeds, read back from the page as its script reads it. */
class GalleryModelTest {
    /** A config value that would end the data's script element if it were embedded verbatim. */
    static final String HOSTILE = "runs/</script><!--x";

    @TempDir
    Path tmp;

    /** A run directory as train leaves it, plus evaluation results and the odd file that must be ignored. */
    static Path smallRun(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("samples"));
        Files.createDirectories(dir.resolve("eval"));
        Files.writeString(dir.resolve("config.json"), "{\"out\": \"" + HOSTILE + "\", \"batch\": 16, \"workers\": 2}");
        Files.writeString(dir.resolve("provenance.json"), "{\"images\": 9000, \"git_sha\": \"abc123\"}");
        StringBuilder metrics = new StringBuilder();
        for (int step = 4; step <= 12; step += 4) {
            metrics.append(String.format("{\"step\":%d,\"critic_iters\":%d,\"epoch\":%s,\"critic_loss\":%s,"
                    + "\"wasserstein_estimate\":%s,\"gradient_penalty\":%s,\"generator_loss\":%s,"
                    + "\"images_per_s\":1000.0,\"round_seconds\":0.5,\"sync_seconds\":0.1}%n",
                    step, 5 * step, step / 100.0, -step / 2.0, step / 3.0, 0.1 * step, step + 0.25));
        }
        Files.writeString(dir.resolve("metrics.jsonl"), metrics);
        // Written out of order on purpose: the page orders by step.
        for (String name : List.of("002_0000080.png", "000_0000004.png", "001_0000040.png")) {
            Files.write(dir.resolve("samples").resolve(name), new byte[] {1});
        }
        Files.write(dir.resolve("samples/progress.gif"), new byte[] {1});
        Files.writeString(dir.resolve("samples/notes.txt"), "not a grid");
        Files.writeString(dir.resolve("eval/step-0000012.json"), evaluation("step-0000012", 12, 8.5));
        Files.writeString(dir.resolve("eval/step-0000004.json"), evaluation("step-0000004", 4, 40.25));
        Files.writeString(dir.resolve("eval/broken.json"), "{\"checkpoint\": ");
        Files.writeString(dir.resolve("eval/no-fid.json"), "{\"generator_steps\": 8}");
        Files.writeString(dir.resolve("eval/._tmp-step-0000016.json-1234"), "{");
        return dir;
    }

    static String evaluation(String checkpoint, long steps, double fid) {
        return "{\"checkpoint\": \"" + checkpoint + "\", \"generator_steps\": " + steps + ", \"critic_iters\": "
                + 5 * steps + ", \"samples\": 1000, \"held_out\": 1000, \"fid\": " + fid + ", \"fid_floor\": 1.2,"
                + " \"class_histogram\": [95, 101, 99, 100, 98, 103, 97, 104, 100, 103], \"modes_covered\": 10,"
                + " \"mean_confidence\": 0.93, \"classifier_accuracy\": 0.985, \"seed\": 1}";
    }

    static org.apache.hadoop.fs.Path hadoop(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri());
    }

    @Test
    void thePageEmbedsTheRunsMetricsGridsAndEvaluations() throws IOException {
        Path run = smallRun(tmp.resolve("run-a"));
        FileSystem fs = FileSystem.getLocal(new Configuration());
        String html = GalleryPage.load().render(GalleryModel.read(fs, hadoop(run), new GalleryModel.Progress(12, 30)));
        JsonNode data = EmbeddedRunData.of(html);

        assertEquals("run-a", data.get("run").asText());
        assertEquals(12, data.at("/progress/step").asLong());
        assertEquals(30, data.at("/progress/total_steps").asLong());
        assertFalse(data.at("/progress/finished").asBoolean());
        assertEquals(HOSTILE, data.at("/config/out").asText());
        assertEquals("abc123", data.at("/provenance/git_sha").asText());

        JsonNode m = data.get("metrics");
        assertEquals(3, m.get("rounds").asInt());
        assertEquals(1, m.get("stride").asInt());
        assertEquals(List.of(4.0, 8.0, 12.0), doubles(m.get("step")));
        assertEquals(List.of(-2.0, -4.0, -6.0), doubles(m.get("critic_loss")));
        assertEquals(List.of(4 / 3.0, 8 / 3.0, 4.0), doubles(m.get("wasserstein_estimate")));
        assertEquals(List.of(0.4, 0.8, 1.2000000000000002), doubles(m.get("gradient_penalty")));
        assertEquals(List.of(4.25, 8.25, 12.25), doubles(m.get("generator_loss")));
        assertEquals(List.of(20.0, 40.0, 60.0), doubles(m.get("critic_iters")));

        JsonNode grids = data.get("grids");
        assertEquals(3, grids.size());
        assertEquals("samples/000_0000004.png", grids.get(0).get("file").asText());
        assertEquals("samples/001_0000040.png", grids.get(1).get("file").asText());
        assertEquals(80, grids.get(2).get("step").asLong());
        assertEquals(2, grids.get(2).get("epoch").asLong());
        assertEquals("samples/progress.gif", data.get("gif").asText());

        JsonNode evals = data.get("evaluations");
        assertEquals(2, evals.size(), evals.toString());
        assertEquals("eval/step-0000004.json", evals.get(0).get("file").asText());
        assertEquals(40.25, evals.get(0).get("fid").asDouble());
        assertEquals("step-0000012", evals.get(1).get("checkpoint").asText());
        assertEquals(8.5, evals.get(1).get("fid").asDouble());
        assertEquals(10, evals.get(1).get("class_histogram").size());
        assertEquals(103, evals.get(1).get("class_histogram").get(9).asInt());
        assertEquals(0.985, evals.get(1).get("classifier_accuracy").asDouble());

        String problems = data.get("problems").toString();
        assertEquals(2, data.get("problems").size(), problems);
        assertTrue(problems.contains("eval/broken.json is not valid JSON"), problems);
        assertTrue(problems.contains("eval/no-fid.json is left out"), problems);
    }

    @Test
    void thePageIsSelfContainedAndItsDataCannotBreakOutOfItsScript() throws IOException {
        Path run = smallRun(tmp.resolve("run-<b>"));
        FileSystem fs = FileSystem.getLocal(new Configuration());
        String html = GalleryPage.load().render(GalleryModel.read(fs, hadoop(run), new GalleryModel.Progress(12, 12)));

        assertFalse(html.contains("http://") || html.contains("https://"), "the page refers to the network");
        assertFalse(html.contains("{{"), "a template slot was left unfilled");
        // The data, uPlot and the page's script: three script elements, each closed once.
        assertEquals(3, count(html, "<script"));
        assertEquals(3, count(html, "</script>"));
        assertFalse(html.contains("<!--x"));
        assertTrue(html.contains("<title>run-&lt;b&gt; · WGAN-GP run</title>"), "the title is escaped");
        assertTrue(html.contains("var uPlot="), "uPlot is inlined");
        assertTrue(html.contains("Copyright (c) 2022 Leon Sorokin"), "uPlot's licence travels with it");
        assertTrue(html.contains(".uplot"), "uPlot's style is inlined");
        assertTrue(EmbeddedRunData.of(html).at("/progress/finished").asBoolean());
    }

    @Test
    void anEmptyRunDirectoryGivesAnEmptyPageNotAnError() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("fresh"));
        FileSystem fs = FileSystem.getLocal(new Configuration());
        ObjectNode data = GalleryModel.read(fs, hadoop(run), new GalleryModel.Progress(0, -1));
        assertEquals(0, data.get("grids").size());
        assertEquals(0, data.at("/metrics/step").size());
        assertEquals(0, data.get("evaluations").size());
        assertTrue(data.get("gif").isNull());
        assertTrue(data.get("config").isNull());
        assertTrue(data.at("/progress/total_steps").isNull());
        assertFalse(data.at("/progress/finished").asBoolean());
    }

    @Test
    void longRunsAreThinnedToAFewThousandPointsKeepingTheLastRound() {
        StringBuilder jsonl = new StringBuilder();
        int rounds = 10_001;
        for (int i = 1; i <= rounds; i++) {
            jsonl.append("{\"step\":").append(10 * i).append(",\"critic_loss\":").append(i).append("}\n");
        }
        List<String> problems = new ArrayList<>();
        ObjectNode m = GalleryModel.metrics(jsonl.toString(), problems);
        assertEquals(rounds, m.get("rounds").asInt());
        assertEquals(3, m.get("stride").asInt());
        List<Double> steps = doubles(m.get("step"));
        assertTrue(steps.size() <= GalleryModel.MAX_POINTS, "points: " + steps.size());
        assertEquals(10.0, steps.get(0));
        assertEquals(40.0, steps.get(1));
        assertEquals(10.0 * rounds, steps.get(steps.size() - 1));
        assertEquals(steps.size(), m.get("critic_loss").size());
        assertTrue(m.get("gradient_penalty").get(0).isNull(), "a field the lines lack is null, not 0");
        assertTrue(problems.isEmpty(), problems.toString());
    }

    static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asDouble()));
        return out;
    }

    static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
