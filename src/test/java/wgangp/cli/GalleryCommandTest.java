package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.EmbeddedRunData;
import wgangp.io.Json;
import wgangp.job.JobConfig;

/** {@code gallery} rewrites index.html of an existing run, its progress worked out from the run's files. */
class GalleryCommandTest {

    @Test
    void rewritesThePageOfARunDirectory(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        JobConfig config = TrainingRuns.config(Map.of("workers", "2", "maxCriticIters", "60"));
        Files.writeString(run.resolve("config.json"), Json.pretty(config.toJson()));
        Files.writeString(run.resolve("provenance.json"), "{\"images\": 9000}");
        Files.writeString(run.resolve("metrics.jsonl"),
                "{\"step\":4,\"critic_loss\":-1.5}\n{\"step\":8,\"critic_loss\":-2.5}\n");
        Files.createDirectories(run.resolve("eval"));
        Files.writeString(run.resolve("eval/step-0000008.json"),
                "{\"checkpoint\": \"step-0000008\", \"generator_steps\": 8, \"fid\": 50.5}");

        assertEquals(ExitCodes.OK, Main.run("gallery", "--run", run.toString()));
        JsonNode data = EmbeddedRunData.of(Files.readString(run.resolve("index.html")));
        assertEquals(8, data.at("/progress/step").asLong());
        // 60 critic iterations at nCritic 5 stop the run long before 200 epochs of 9000 images.
        assertEquals(12, data.at("/progress/total_steps").asLong());
        assertFalse(data.at("/progress/finished").asBoolean());
        assertEquals(50.5, data.at("/evaluations/0/fid").asDouble());
        assertEquals(-2.5, data.at("/metrics/critic_loss/1").asDouble());
    }

    @Test
    void aRunWrittenBeforeTheEngineKeyExistedStillGetsItsPage(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        JsonNode config = Json.parse(Json.pretty(TrainingRuns.config(Map.of()).toJson()), "config");
        assertTrue(config.has("engine"), "the key this case removes");
        ((ObjectNode) config).remove("engine");
        Files.writeString(run.resolve("config.json"), Json.pretty(config));

        assertEquals(ExitCodes.OK, Main.run("gallery", "--run", run.toString()));
        assertTrue(Files.exists(run.resolve("index.html")));
    }

    @Test
    void aDirectoryWithoutConfigIsRefusedAndLeftAlone(@TempDir Path dir) throws Exception {
        Path notARun = Files.createDirectories(dir.resolve("photos"));
        assertEquals(ExitCodes.BAD_CONFIG, Main.run("gallery", "--run", notARun.toString()));
        assertFalse(Files.exists(notARun.resolve("index.html")));
        assertEquals(ExitCodes.BAD_CONFIG, Main.run("gallery", "--run", dir.resolve("nowhere").toString()));
        assertTrue(Files.notExists(dir.resolve("nowhere")));
    }
}
