package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.Json;

/**
 * scripts/bench-scaling.sh as documented in docs/benchmarks.md, in a tiny configuration (a dcgan
 * of base width 2, 20 critic iterations per worker, rounds of 2 generator steps) on one and two
 * executor JVMs (the executor counts given as the script's last argument), so that the benchmark
 * cannot stop working unnoticed.
 */
@Tag("integration")
class BenchScalingScriptTest {
    @TempDir
    Path tmp;

    @Test
    void theBenchmarkPrintsOneLinePerRunWithItsThroughputSyncShareAndStateSize() throws Exception {
        Path jar = SparkSubmitProcess.classesJar(tmp.resolve("app.jar"));
        Path out = tmp.resolve("bench");
        Path log = tmp.resolve("script.log");
        int exit = SparkSubmitProcess.run(List.of("bash", "scripts/bench-scaling.sh", "20", "2", "dcgan:2",
                jar.toString(), out.toString(), "1 2", "averaging"), Map.of(), log, 600);
        assertEquals(0, exit, SparkSubmitProcess.tail(log, 60));

        List<String> lines = Files.readAllLines(log).stream().filter(l -> l.startsWith("{")).toList();
        assertEquals(2, lines.size(), Files.readString(log));
        for (int i = 0; i < lines.size(); i++) {
            JsonNode run = Json.parse(lines.get(i), "bench-scaling line");
            assertEquals("dcgan:2", run.get("model").asText());
            assertEquals(i + 1, run.get("workers").asInt());
            assertEquals(2, run.get("round_steps").asInt());
            assertEquals("averaging", run.get("parallelism").asText());
            assertTrue(run.get("step_seconds").asDouble() > 0, run.toString());
            assertEquals(0, run.get("allreduce_share").asDouble(), run.toString());
            assertTrue(run.get("images_per_s").asDouble() > 0, run.toString());
            double share = run.get("sync_share").asDouble();
            assertTrue(share > 0 && share < 1, run.toString());
            assertTrue(run.get("state_mb").asDouble() > 0, run.toString());
            JsonNode phases = run.get("phases");
            for (String phase : List.of("broadcast_s", "setup_s", "compute_s")) {
                assertTrue(phases.get(phase).asDouble() > 0, phase + " in " + run);
            }
            // The rest are remainders or driver-side steps, which may round to zero.
            for (String phase : List.of("task_launch_s", "result_s", "aggregate_s", "average_s")) {
                assertTrue(phases.get(phase).asDouble() >= 0, phase + " in " + run);
            }
        }
    }
}
