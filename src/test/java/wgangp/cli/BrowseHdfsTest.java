package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.RunFixture;

/** {@code browse} on hdfs://: the listing, one run, and copies from HDFS to a local folder. */
@Tag("integration")
class BrowseHdfsTest {
    @TempDir
    static Path tmp;
    static MiniHdfs cluster;
    static FileSystem fs;

    @BeforeAll
    static void startHdfs() throws Exception {
        cluster = MiniHdfs.start(tmp.resolve("dfs"));
        fs = cluster.fs();
        RunFixture.at(fs, new org.apache.hadoop.fs.Path("/runs/a"), 2e-4, 5).metrics(6, 4).grids(8, 16, 24)
                .checkpoints(12, 24).eval("step-0000024", 24, 42.75).index();
        RunFixture.at(fs, new org.apache.hadoop.fs.Path("/runs/b"), 1e-4, 6).metrics(2, 4).grids(8);
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void browsesAndCopiesRunsOnHdfs() throws Exception {
        String runs = cluster.uri() + "/runs";
        StringWriter out = new StringWriter();
        assertEquals(ExitCodes.OK, browse(out, runs));
        List<String> lines = out.toString().lines().toList();
        assertEquals("runs under " + runs + " (2)", lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("| a ") && l.contains("| step-0000024 | 42.75 @ 24 |")),
                out.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("| b ") && l.contains("| 0.0001 |")), out.toString());

        out = new StringWriter();
        assertEquals(ExitCodes.OK, browse(out, runs + "/a"));
        assertTrue(out.toString().startsWith("run         " + runs + "/a\n"), out.toString());
        assertTrue(out.toString().contains("files       index.html, samples/progress.gif"), out.toString());
        assertTrue(out.toString().contains("| 000_0000024.png |   24 |"), out.toString());

        Path local = tmp.resolve("local/a");
        assertEquals(ExitCodes.OK, browse(new StringWriter(), runs + "/a", "--copy", local.toString()));
        for (String f : List.of("index.html", "config.json", "metrics.jsonl", "samples/000_0000016.png",
                "samples/progress.gif", "eval/step-0000024.json")) {
            assertArrayEquals(hdfsBytes("/runs/a/" + f), Files.readAllBytes(local.resolve(f)), f);
        }
        assertTrue(Files.notExists(local.resolve("checkpoints")));
        assertEquals(ExitCodes.RUN_DIRECTORY_EXISTS, browse(new StringWriter(), runs + "/a", "--copy", local.toString()));

        Path grid = tmp.resolve("grids");
        assertEquals(ExitCodes.OK, browse(new StringWriter(), runs + "/b", "--grid", "000_0000008", "--copy",
                grid.toString()));
        assertArrayEquals(hdfsBytes("/runs/b/samples/000_0000008.png"), Files.readAllBytes(grid.resolve("000_0000008.png")));

        assertEquals(ExitCodes.BAD_INPUT, browse(new StringWriter(), runs + "/c"));
    }

    private static int browse(StringWriter out, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "browse";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.run(new PrintWriter(out, true), new PrintWriter(System.err, true), all);
    }

    private static byte[] hdfsBytes(String path) throws Exception {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
            return in.readAllBytes();
        }
    }
}
