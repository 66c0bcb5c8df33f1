package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    java.nio.file.Path tmp;

    @Test
    void unfinishedWritesOfAKilledDriverAreRemovedAndNothingElse() throws IOException {
        java.nio.file.Path root = tmp.resolve("run");
        RunDirectory run = RunDirectory.at(root.toString(), new Configuration());
        run.prepare(false);
        Checkpoints checkpoints = run.checkpoints();
        String complete = checkpoints.write(CheckpointsTest.state(1, 8), new float[] {1, 2}, 2, "{}", "{}");
        run.writeText(RunDirectory.METRICS, "{\"step\":8}\n");
        Files.writeString(root.resolve("samples/000_0000008.png"), "png");
        // What a driver killed in the middle of writing leaves: a checkpoint without its manifest
        // under a temporary name, a half-written grid and metrics file.
        java.nio.file.Path unfinished = Files.createDirectories(root.resolve("checkpoints/._tmp-step-0000016-x"));
        Files.write(unfinished.resolve(Checkpoints.STATE), new byte[1000]);
        Files.writeString(root.resolve("samples/._tmp-000_0000016.png-y"), "pn");
        Files.writeString(root.resolve("._tmp-metrics.jsonl-z"), "{\"st");

        List<String> removed = run.removeUnfinishedWrites().stream().map(p -> p.getName()).sorted().toList();

        assertEquals(List.of("._tmp-000_0000016.png-y", "._tmp-metrics.jsonl-z", "._tmp-step-0000016-x"), removed);
        try (Stream<java.nio.file.Path> walk = Files.walk(root)) {
            List<String> left = walk.map(p -> root.relativize(p).toString()).filter(n -> n.contains("_tmp")).toList();
            assertEquals(List.of(), left);
        }
        assertEquals(complete, checkpoints.loadLatest().orElseThrow().name());
        assertTrue(Files.exists(root.resolve("samples/000_0000008.png")));
        assertEquals("{\"step\":8}\n", run.readText(RunDirectory.METRICS));
        assertEquals(List.of(), run.removeUnfinishedWrites());
    }
}
