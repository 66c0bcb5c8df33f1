package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    java.nio.file.Path dir;

    private FileSystem fs;

    @BeforeEach
    void localFileSystem() throws IOException {
        // The checksummed local file system, as in local runs: it also writes .crc side files.
        fs = FileSystem.getLocal(new Configuration());
    }

    @Test
    void writeReplacesContentAndLeavesNoTemporaryFiles() throws IOException {
        Path target = path("samples.png");

        AtomicFiles.write(fs, target, "a much longer first version".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(fs, target, "second".getBytes(StandardCharsets.UTF_8));

        assertEquals("second", Files.readString(dir.resolve("samples.png")));
        assertEquals(List.of("samples.png"), dataFiles());
        assertNoTemporaryFiles();
    }

    @Test
    void failedWriteLeavesNoTemporaryFile() throws IOException {
        Files.createDirectories(dir.resolve("taken/child"));

        assertThrows(IOException.class, () -> AtomicFiles.writeText(fs, path("taken"), "lost"));

        assertTrue(Files.isDirectory(dir.resolve("taken/child")));
        assertNoTemporaryFiles();
    }

    @Test
    void writeTextIsUtf8AndCreatesMissingParents() throws IOException {
        Path target = new Path(path("run-1/epoch-003"), "summary.json");

        AtomicFiles.writeText(fs, target, "{\"loss\": \"Wasserstein – GP\"}");

        assertEquals("{\"loss\": \"Wasserstein – GP\"}",
                Files.readString(dir.resolve("run-1/epoch-003/summary.json"), StandardCharsets.UTF_8));
    }

    @Test
    void appendLineAccumulatesLines() throws IOException {
        Path target = path("metrics.jsonl");

        AtomicFiles.appendLine(fs, target, "{\"epoch\":1}");
        AtomicFiles.appendLine(fs, target, "{\"epoch\":2}");
        AtomicFiles.appendLine(fs, target, "{\"epoch\":3}");

        assertEquals("{\"epoch\":1}\n{\"epoch\":2}\n{\"epoch\":3}\n", Files.readString(dir.resolve("metrics.jsonl")));
        assertEquals(List.of("metrics.jsonl"), dataFiles());
        assertNoTemporaryFiles();
    }

    @Test
    void renameDirectoryMovesItIntoPlace() throws IOException {
        Path tmp = path("._tmp-checkpoint");
        AtomicFiles.writeText(fs, new Path(tmp, "weights.bin"), "w");
        Path last = path("checkpoints/epoch-2");

        AtomicFiles.renameDirectory(fs, tmp, last);

        assertEquals("w", Files.readString(dir.resolve("checkpoints/epoch-2/weights.bin")));
        assertFalse(Files.exists(dir.resolve("._tmp-checkpoint")));
    }

    @Test
    void renameDirectoryRefusesToReplaceAnExistingOne() throws IOException {
        Path tmp = path("._tmp-checkpoint");
        AtomicFiles.writeText(fs, new Path(tmp, "weights.bin"), "new");
        Path existing = path("epoch-2");
        AtomicFiles.writeText(fs, new Path(existing, "weights.bin"), "old");

        IOException e = assertThrows(IOException.class, () -> AtomicFiles.renameDirectory(fs, tmp, existing));

        assertTrue(e.getMessage().contains(existing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("old", Files.readString(dir.resolve("epoch-2/weights.bin")));
        assertEquals("new", Files.readString(dir.resolve("._tmp-checkpoint/weights.bin")));
    }

    private Path path(String relative) {
        return new Path(dir.resolve(relative).toString());
    }

    /** Names in the directory other than Hadoop's .crc checksum side files. */
    private List<String> dataFiles() throws IOException {
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> !(name.startsWith(".") && name.endsWith(".crc")))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            List<String> leftovers = files.map(f -> f.getFileName().toString())
                    .filter(name -> name.contains("_tmp-"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), leftovers);
        }
    }
}
