package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.RunDirectory;
import wgangp.io.RunFixture;
import wgangp.io.RunLock;

/** {@code browse} through the entry point on local run directories: listing, one run, copies, refusals. */
class BrowseCommandTest {
    @TempDir
    Path tmp;
    Path runs;
    String out;
    String err;

    @BeforeEach
    void twoRuns() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        runs = tmp.resolve("runs");
        RunFixture.at(fs, path(runs.resolve("alpha")), 2e-4, 7).metrics(10, 4).grids(8, 16, 24, 32, 40)
                .checkpoints(20, 40).eval("step-0000020", 20, 80.125).eval("step-0000040", 40, 31.5);
        RunFixture.at(fs, path(runs.resolve("beta")), 1e-3, 3).checkpoints(12);
        Files.createDirectories(runs.resolve("scratch"));
    }

    @Test
    void listsTheRunsUnderADirectory() {
        assertEquals(ExitCodes.OK, browse(runs.toString()));
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).startsWith("runs under file:") && lines.get(0).endsWith("runs (2)"), lines.get(0));
        // Runs written before the model key existed are MLP runs.
        assertEquals(List.of("run", "model", "workers", "batch", "nCritic", "lambdaGp", "lr", "seed", "step", "critic iters",
                "epoch", "checkpoint", "FID @ step", "driver"), cells(row(lines, "| run ")));
        assertEquals(List.of("alpha", "mlp", "2", "16", "5", "10", "0.0002", "7", "40", "200", "0.40", "step-0000040",
                "31.50 @ 40", "-"), cells(row(lines, "| alpha ")));
        // no metrics: progress from the checkpoint, no epoch, no evaluation
        assertEquals(List.of("beta", "mlp", "2", "16", "5", "10", "0.001", "3", "12", "60", "-", "step-0000012", "-", "-"),
                cells(row(lines, "| beta ")));
        assertFalse(out.contains("scratch"));
    }

    @Test
    void showsOneRunsGridsCheckpointsAndEvaluations() {
        assertEquals(ExitCodes.OK, browse(runs.resolve("alpha").toString()));
        List<String> lines = out.lines().toList();
        assertTrue(row(lines, "config ").contains("lr 0.0002, seed 7"));
        assertTrue(row(lines, "progress ").startsWith("progress    step 40, 200 critic iters per worker, epoch 0.40"
                + " (10 rounds in metrics.jsonl"), row(lines, "progress "));
        assertEquals("files       index.html (missing), samples/progress.gif, metrics.jsonl, config.json, provenance.json",
                row(lines, "files "));
        assertTrue(out.contains("sample grids (5)") && out.contains("checkpoints (2)") && out.contains("evaluations (2)"));
        List<String> grids = lines.stream().filter(l -> l.startsWith("| 000_")).map(l -> cells(l).get(0)).toList();
        assertEquals(List.of("000_0000008.png", "000_0000016.png", "000_0000024.png", "000_0000032.png",
                "000_0000040.png"), grids);
        assertEquals(List.of("000_0000024.png", "24", "0"), cells(row(lines, "| 000_0000024.png")).subList(0, 3));
        List<String> cp = cells(row(lines, "| step-0000040 "));
        assertEquals(List.of("step-0000040", "40", "200"), cp.subList(0, 3));
        assertEquals("complete", cp.get(4));
        assertEquals(List.of("step-0000020", "20", "100", "1000", "80.125", "1.200", "10/10", "0.930", "0.9850"),
                cells(lines.stream().filter(l -> l.startsWith("| step-0000020 ") && l.contains("80.125")).findFirst()
                        .orElseThrow()));
    }

    @Test
    void copiesAGalleryAndOneGridAndRefusesToOverwrite() throws IOException {
        String run = runs.resolve("alpha").toString();
        Path gallery = tmp.resolve("local/alpha");
        assertEquals(ExitCodes.OK, browse(run, "--copy", gallery.toString()));
        assertTrue(out.startsWith("file:" + gallery + ": 11 files, "), out);
        assertTrue(Files.isRegularFile(gallery.resolve("samples/000_0000040.png")));
        assertTrue(Files.isRegularFile(gallery.resolve("eval/step-0000040.json")));
        assertFalse(Files.exists(gallery.resolve("checkpoints")));

        assertEquals(ExitCodes.RUN_DIRECTORY_EXISTS, browse(run, "--copy", gallery.toString()));
        assertOneLineError("already exists and is not empty");
        assertEquals(ExitCodes.OK, browse(run, "--copy", gallery.toString(), "--overwrite", "--with-checkpoints"));
        assertTrue(Files.isRegularFile(gallery.resolve("checkpoints/step-0000040/MANIFEST")));

        // the copy is itself a run directory browse can show
        assertEquals(ExitCodes.OK, browse(gallery.toString()));
        assertTrue(out.contains("sample grids (5)"));

        Path grids = tmp.resolve("grids");
        assertEquals(ExitCodes.OK, browse(run, "--grid", "000_0000016.png", "--copy", grids.toString()));
        assertTrue(Files.size(grids.resolve("000_0000016.png")) > 0);
        assertEquals(ExitCodes.RUN_DIRECTORY_EXISTS, browse(run, "--grid", "000_0000016", "--copy", grids.toString()));
        assertOneLineError("000_0000016.png already exists");
        assertEquals(ExitCodes.BAD_INPUT, browse(run, "--grid", "000_0000017", "--copy", grids.toString()));
        assertOneLineError("has no grid 000_0000017.png");
    }

    @Test
    void showsWhetherADriverIsTrainingARun() throws IOException {
        RunDirectory alpha = RunDirectory.at(runs.resolve("alpha").toString(), new Configuration());
        try (RunLock lock = RunLock.acquire(alpha, "app-browse-test", Duration.ofMinutes(1))) {
            assertEquals(ExitCodes.OK, browse(runs.toString()));
            List<String> row = cells(row(out.lines().toList(), "| alpha "));
            assertEquals("live", row.get(row.size() - 1), "the driver column, the last");
            assertEquals(ExitCodes.OK, browse(alpha.root().toString()));
            String driver = row(out.lines().toList(), "driver ");
            assertTrue(driver.startsWith("driver      live: application app-browse-test on host ")
                    && driver.contains("(pid " + ProcessHandle.current().pid() + "), last seen "), driver);
        }
        assertEquals(ExitCodes.OK, browse(alpha.root().toString()));
        assertEquals("driver      none (no driver is training this run)", row(out.lines().toList(), "driver "));
    }

    @Test
    void missingPathsAndNonRunsAreBadInput() throws IOException {
        assertEquals(ExitCodes.BAD_INPUT, browse(tmp.resolve("nowhere").toString()));
        assertOneLineError("nowhere does not exist");
        assertEquals(ExitCodes.BAD_INPUT, browse(runs.resolve("scratch").toString()));
        assertOneLineError("scratch is neither a run directory nor holds any");
        Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
        assertEquals(ExitCodes.BAD_INPUT, browse(file.toString()));
        assertOneLineError("notes.txt is not a run directory");
        Path target = tmp.resolve("copy");
        assertEquals(ExitCodes.BAD_INPUT, browse(runs.toString(), "--copy", target.toString()));
        assertOneLineError("runs is not a run directory");
        assertFalse(Files.exists(target), "nothing written");

        assertEquals(ExitCodes.BAD_CONFIG, browse(runs.resolve("alpha").toString(), "--grid", "000_0000016"));
        assertOneLineError("--grid, --with-checkpoints and --overwrite go with --copy DIR");
        assertEquals(ExitCodes.BAD_CONFIG, browse());
    }

    private int browse(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "browse";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), all);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private void assertOneLineError(String fragment) {
        List<String> lines = err.lines().filter(l -> !l.startsWith("warning:")).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(fragment), err);
    }

    private static String row(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in\n" + String.join("\n", lines)));
    }

    /** The cells of a table row, trimmed. */
    private static List<String> cells(String row) {
        String inner = row.substring(1, row.length() - 1);
        return java.util.Arrays.stream(inner.split("\\|")).map(String::trim).toList();
    }

    private static org.apache.hadoop.fs.Path path(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri().toString());
    }
}
