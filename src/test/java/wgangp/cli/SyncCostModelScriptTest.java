package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.Json;

/**
 * scripts/sync-cost-model.py on runs whose phases were generated from known costs: it must find
 * each phase's form and coefficients again, and predict a cluster's round from them as
 * docs/scaling.md describes (the link terms recomputed here from that description).
 */
@Tag("integration")
class SyncCostModelScriptTest {
    private static final double LOG2 = Math.log(2);

    /** The generating costs, B in MB: the form the script should pick and the phase's seconds. */
    private static final Map<String, BiFunction<Integer, Double, Double>> PHASES = Map.of(
            "broadcast_s", (n, b) -> 0.05 + 0.004 * b + 0.003 * b * log2(n),
            "task_launch_s", (n, b) -> 0.07 + 0.02 * (n - 1),
            "setup_s", (n, b) -> 0.01 + 0.008 * b,
            "result_s", (n, b) -> 0.03 + 0.006 * b,
            "aggregate_s", (n, b) -> 0.002 * b * log2(n),
            "average_s", (n, b) -> 0.011);
    private static final Map<String, String> FORMS = Map.of("broadcast_s", "per byte, log N", "task_launch_s", "N",
            "setup_s", "per byte", "result_s", "per byte", "aggregate_s", "per byte, log N", "average_s", "constant");

    @TempDir
    Path tmp;

    @Test
    void findsTheGeneratingCostsAndPredictsFromThem() throws Exception {
        Path runs = tmp.resolve("runs");
        Map<String, Integer> stateBytes = Map.of("small", 500_000, "large", 2_500_000);
        double computePerStep = 0.2;
        for (var model : stateBytes.entrySet()) {
            for (int n : List.of(1, 2, 4, 8)) {
                writeRun(runs.resolve(model.getKey() + "-w" + n + "-f5"), n, model.getValue(), 5 * computePerStep);
            }
        }
        // Synchronous runs whose allreduce took 2·alpha per call and gamma per byte, two models.
        double alpha = 1.5e-4;
        double gamma = 2e-9;
        writeSynchronousRun(runs.resolve("synchronous/small-w2-f5"), 12, 1_200_000, alpha, gamma, computePerStep);
        writeSynchronousRun(runs.resolve("synchronous/large-w2-f5"), 16, 30_000_000, alpha, gamma, 2 * computePerStep);
        Path out = tmp.resolve("model");
        Path log = tmp.resolve("script.log");
        // 64 cores: no contention in these runs, so its column is all zero and gets no weight.
        int exit = SparkSubmitProcess.run(List.of("python3", "scripts/sync-cost-model.py", runs.toString(), "--out",
                out.toString(), "--cores", "64", "--frequency", "40"), Map.of(), log, 120);
        assertEquals(0, exit, Files.readString(log));

        JsonNode model = Json.parse(Files.readString(out.resolve("sync-cost-model.json")), "sync-cost-model.json");
        for (String phase : PHASES.keySet()) {
            JsonNode fit = model.get("fits").get(phase);
            assertEquals(FORMS.get(phase), fit.get("form").asText(), phase + ": " + fit);
            assertTrue(fit.get("rms").asDouble() < 1e-6, phase + ": " + fit);
        }

        int rows = 0;
        for (JsonNode q : model.get("predictions")) {
            rows++;
            int n = q.get("workers").asInt();
            double mb = q.get("state_mb").asDouble();
            double link = q.get("gbit").asDouble() * 1e9 / 8;
            double fitted = 0;
            for (var phase : PHASES.values()) {
                fitted += phase.apply(n, mb);
            }
            double bytes = mb * 1e6;
            double piece = 4 * 1024 * 1024;
            double broadcast = n == 1 ? 0 : (Math.ceil(bytes / piece) + log2(n)) * Math.min(piece, bytes) / link;
            double result = resultOnTheLink(n, bytes, link);
            double outside = fitted + broadcast + result;
            double compute = 40 * computePerStep;
            String where = q.get("model").asText() + " N=" + n + " " + q.get("gbit") + " Gb/s";
            assertEquals(fitted, q.get("cpu_s").asDouble(), 1e-6, where);
            assertEquals(broadcast, q.get("broadcast_link_s").asDouble(), 1e-9, where);
            assertEquals(result, q.get("result_link_s").asDouble(), 1e-9, where);
            assertEquals(outside / (outside + compute), q.get("sync_share").asDouble(), 1e-6, where);
        }
        assertEquals(2 * 2 * 4, rows, "two models, two links, 2/8/64/256 executors");

        assertEquals(alpha, model.at("/synchronous_fit/alpha").asDouble(), 1e-9);
        assertEquals(gamma, model.at("/synchronous_fit/gamma").asDouble(), 1e-12);
        int syncRows = 0;
        for (JsonNode q : model.get("synchronous_predictions")) {
            syncRows++;
            int n = q.get("workers").asInt();
            boolean large = q.get("model").asText().equals("large");
            double calls = large ? 16 : 12;
            double bytes = large ? 30_000_000 : 1_200_000;
            double link = q.get("gbit").asDouble() * 1e9 / 8;
            // a ring: 2(N-1) hops per call, 2(N-1)/N of the bytes over each link
            double step = 2 * (n - 1) * alpha * calls + gamma * bytes + 2.0 * (n - 1) / n * bytes / link;
            double compute = large ? 2 * computePerStep : computePerStep;
            assertEquals(step, q.get("allreduce_s").asDouble(), 1e-9, q.toString());
            assertEquals(step / (step + compute), q.get("share").asDouble(), 1e-9, q.toString());
        }
        assertEquals(2 * 2 * 4, syncRows);
        String table = Files.readString(out.resolve("sync-cost-model.md"));
        assertTrue(table.contains("| large | 10 Gb/s | 256 |"), table);
    }

    @Test
    void refusesAFolderWithoutRuns() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        Path log = tmp.resolve("script.log");
        int exit = SparkSubmitProcess.run(List.of("python3", "scripts/sync-cost-model.py",
                tmp.resolve("empty").toString()), Map.of(), log, 60);
        String output = Files.readString(log);
        assertNotEquals(0, exit);
        assertTrue(output.contains("fewer than three runs"), output);
    }

    /**
     * Spark's treeAggregate(depth 2) on n partitions: a shuffle level while it saves time, each
     * receiver fetching its share of the level's partials; floats for one replica's state, doubles
     * for sums. The driver fetches the last level's partials.
     */
    private static double resultOnTheLink(int n, double bytes, double link) {
        List<Integer> levels = new ArrayList<>(List.of(n));
        int scale = Math.max((int) Math.ceil(Math.sqrt(n)), 2);
        int partitions = n;
        while (partitions > scale + Math.ceil((double) partitions / scale)) {
            partitions /= scale;
            levels.add(partitions);
        }
        levels.add(1);
        double seconds = 0;
        double partial = bytes;
        for (int i = 0; i + 1 < levels.size(); i++) {
            seconds += Math.ceil((double) levels.get(i) / levels.get(i + 1)) * partial / link;
            partial = 2 * bytes;
        }
        return seconds;
    }

    private static double log2(int n) {
        return Math.log(n) / LOG2;
    }

    /** Three rounds of 5 steps of a synchronous run on 2 executors; compute_s includes the allreduce, as measured. */
    private static void writeSynchronousRun(Path run, int calls, long bytes, double alpha, double gamma,
                                            double computePerStep) throws Exception {
        Files.createDirectories(run);
        double allreduce = 2 * alpha * calls + gamma * bytes;
        StringBuilder lines = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            lines.append(String.format(Locale.ROOT, "{\"step\": %d, \"compute_s\": %.9f, \"allreduce_s\": %.9f,"
                    + " \"allreduce_calls\": %d, \"allreduce_mb\": %.6f}%n", 5 * round + 5,
                    5 * (computePerStep + allreduce), 5 * allreduce, 5 * calls, 5 * bytes / 1e6));
        }
        Files.writeString(run.resolve("metrics.jsonl"), lines);
    }

    private static void writeRun(Path run, int workers, int stateBytes, double compute) throws Exception {
        Files.createDirectories(run.resolve("checkpoints/step-0000010"));
        Files.write(run.resolve("checkpoints/step-0000010/state.bin"), new byte[stateBytes]);
        double mb = stateBytes / 1e6;
        StringBuilder lines = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            StringBuilder line = new StringBuilder("{\"step\": " + (5 * round + 5));
            for (var phase : PHASES.entrySet()) {
                line.append(String.format(Locale.ROOT, ", \"%s\": %.9f", phase.getKey(),
                        phase.getValue().apply(workers, mb)));
            }
            line.append(String.format(Locale.ROOT, ", \"compute_s\": %.9f, \"outer_s\": 0}", compute));
            lines.append(line).append('\n');
        }
        Files.writeString(run.resolve("metrics.jsonl"), lines);
    }
}
