package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.distributed.AllreduceTimes;
import wgangp.distributed.RoundReport;
import wgangp.train.GradientNoise;
import wgangp.train.LossSums;

/** The page is rewritten at start, after rounds that drew a grid, and at the end; not after every round. */
class GalleryWriterTest {
    @TempDir
    Path tmp;

    @Test
    void rewritesThePageWhenThereIsSomethingNewToShow() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path index = run.resolve(GalleryPage.NAME);
        FileSystem fs = FileSystem.getLocal(new Configuration());
        // Grids every 8 steps, rounds of 4 steps, no time-based refresh.
        try (GalleryWriter writer = new GalleryWriter(fs, new org.apache.hadoop.fs.Path(run.toUri()), 8,
                Long.MAX_VALUE)) {
            writer.onStart(MetricsLogTest.at(0), 12);
            assertEquals(0, EmbeddedRunData.of(Files.readString(index)).at("/progress/step").asLong());
            assertEquals(12, EmbeddedRunData.of(Files.readString(index)).at("/progress/total_steps").asLong());

            Files.delete(index);
            writer.onRound(round(4, false));
            assertFalse(Files.exists(index), "no grid at step 4, so no rewrite");
            writer.onRound(round(8, false));
            assertTrue(Files.exists(index), "a grid at step 8");
            assertEquals(8, EmbeddedRunData.of(Files.readString(index)).at("/progress/step").asLong());

            Files.delete(index);
            writer.onRound(round(12, true));
            assertFalse(Files.exists(index));
            writer.onEnd(MetricsLogTest.at(12));
            assertTrue(EmbeddedRunData.of(Files.readString(index)).at("/progress/finished").asBoolean());
        }
        try (Stream<Path> left = Files.list(run)) {
            // The local file system keeps a hidden .crc beside each file.
            assertEquals(java.util.List.of(GalleryPage.NAME), left.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".crc")).toList(), "only the page, no temporary files");
        }
    }

    @Test
    void refreshesAfterTheIntervalEvenWithoutANewGrid() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path index = run.resolve(GalleryPage.NAME);
        FileSystem fs = FileSystem.getLocal(new Configuration());
        try (GalleryWriter writer = new GalleryWriter(fs, new org.apache.hadoop.fs.Path(run.toUri()), 1000, 0)) {
            writer.onStart(MetricsLogTest.at(0), 12);
            Files.delete(index);
            writer.onRound(round(4, false));
            assertEquals(4, EmbeddedRunData.of(Files.readString(index)).at("/progress/step").asLong());
        }
    }

    static RoundReport round(long step, boolean last) {
        return new RoundReport(step, 5 * step, step / 100.0, 4, new LossSums(1, 2, 3, 4, 1), 100, 1, 0.1,
                MetricsLogTest.PHASES, MetricsLogTest.at(step), last, AllreduceTimes.NONE, GradientNoise.NONE);
    }
}
