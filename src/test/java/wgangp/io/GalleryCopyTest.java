package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copying a run's gallery to a local folder: what is copied, what is not, and when a copy is refused. */
class GalleryCopyTest {
    static final Set<String> GALLERY = Set.of("index.html", "config.json", "provenance.json", "metrics.jsonl",
            "samples/000_0000008.png", "samples/000_0000016.png", "samples/progress.gif", "eval/step-0000016.json");

    @TempDir
    java.nio.file.Path tmp;
    FileSystem fs;
    RunDirectory run;
    java.nio.file.Path target;

    @BeforeEach
    void setUp() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
        run = RunFixture.at(fs, new Path(tmp.toUri().toString(), "run"), 2e-4, 1).metrics(4, 4).grids(8, 16)
                .checkpoints(16).eval("step-0000016", 16, 40.0).index().run();
        // what a writer leaves while it is busy: never part of a copy
        AtomicFiles.writeText(fs, new Path(run.samples(), "._tmp-000_0000024.png-1234"), "partial");
        target = tmp.resolve("copies/a");
    }

    @Test
    void copiesTheGalleryButNotTheCheckpoints() throws IOException {
        GalleryCopy.Report report = GalleryCopy.of(run, fs, false).copyGallery(new Path(target.toString()), false);
        assertEquals(GALLERY, files(target));
        assertEquals(GALLERY.size(), report.files());
        long bytes = 0;
        for (String f : GALLERY) {
            byte[] copied = Files.readAllBytes(target.resolve(f));
            assertArrayEquals(bytes(run.file(f)), copied, f);
            bytes += copied.length;
        }
        assertEquals(bytes, report.bytes());
        assertEquals(List.of("a"), names(tmp.resolve("copies")), "no temporary folder left beside the copy");
    }

    @Test
    void withCheckpointsTheCopyLoadsAsARun() throws IOException {
        GalleryCopy.of(run, fs, false).copyGallery(new Path(target.toString()), true);
        Set<String> expected = new TreeSet<>(GALLERY);
        for (String f : List.of("latest", "step-0000016/MANIFEST", "step-0000016/state.bin",
                "step-0000016/sample-noise.bin", "step-0000016/config.json", "step-0000016/provenance.json")) {
            expected.add("checkpoints/" + f);
        }
        assertEquals(expected, files(target));
        Checkpoints copied = new Checkpoints(fs, new Path(target.resolve("checkpoints").toUri().toString()));
        assertEquals(16, copied.loadLatest().orElseThrow().state().generatorSteps());
    }

    @Test
    void anExistingEmptyFolderIsFilled() throws IOException {
        Files.createDirectories(target);
        GalleryCopy.of(run, fs, false).copyGallery(new Path(target.toString()), false);
        assertEquals(GALLERY, files(target));
    }

    @Test
    void aNonEmptyTargetIsRefusedAndLeftAlone() throws IOException {
        Files.createDirectories(target);
        Files.writeString(target.resolve("notes.txt"), "mine");
        TargetExistsException e = assertThrows(TargetExistsException.class,
                () -> GalleryCopy.of(run, fs, false).copyGallery(new Path(target.toString()), false));
        assertTrue(e.getMessage().contains("already exists and is not empty") && e.getMessage().contains("--overwrite"),
                e.getMessage());
        // --overwrite does not delete a folder that is not a copied run either
        e = assertThrows(TargetExistsException.class,
                () -> GalleryCopy.of(run, fs, true).copyGallery(new Path(target.toString()), false));
        assertTrue(e.getMessage().startsWith("--overwrite refused"), e.getMessage());
        assertEquals(Set.of("notes.txt"), files(target));
        assertEquals(List.of("a"), names(tmp.resolve("copies")));
    }

    @Test
    void overwriteReplacesAnEarlierCopyWhole() throws IOException {
        GalleryCopy.of(run, fs, false).copyGallery(new Path(target.toString()), false);
        Files.writeString(target.resolve("samples/stale.png"), "old");
        GalleryCopy.of(run, fs, true).copyGallery(new Path(target.toString()), false);
        assertEquals(GALLERY, files(target));
    }

    @Test
    void oneGridIsCopiedByNameWithOrWithoutItsExtension() throws IOException {
        Path dir = new Path(target.toString());
        Files.createDirectories(target);
        Files.writeString(target.resolve("other.png"), "kept");
        GalleryCopy.Report report = GalleryCopy.of(run, fs, false).copyGrid("000_0000016", dir);
        assertEquals(1, report.files());
        assertArrayEquals(bytes(new Path(run.samples(), "000_0000016.png")),
                Files.readAllBytes(target.resolve("000_0000016.png")));
        assertEquals(Set.of("other.png", "000_0000016.png"), files(target));

        assertThrows(TargetExistsException.class, () -> GalleryCopy.of(run, fs, false).copyGrid("000_0000016.png", dir));
        GalleryCopy.of(run, fs, true).copyGrid("000_0000016.png", dir);
        FileNotFoundException missing = assertThrows(FileNotFoundException.class,
                () -> GalleryCopy.of(run, fs, false).copyGrid("000_0000099", dir));
        assertTrue(missing.getMessage().contains("has no grid 000_0000099.png")
                && missing.getMessage().contains("000_0000008.png … 000_0000016.png"), missing.getMessage());
        assertEquals(Set.of("other.png", "000_0000016.png"), files(target));
    }

    private byte[] bytes(Path p) throws IOException {
        try (var in = fs.open(p)) {
            return in.readAllBytes();
        }
    }

    /** Every file under {@code dir}, relative, hidden ones (.crc, temporaries) included. */
    static Set<String> files(java.nio.file.Path dir) throws IOException {
        try (Stream<java.nio.file.Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    static List<String> names(java.nio.file.Path dir) throws IOException {
        try (Stream<java.nio.file.Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
