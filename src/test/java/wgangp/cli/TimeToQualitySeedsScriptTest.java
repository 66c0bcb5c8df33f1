package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/time-to-quality-seeds.py as docs/scaling.md uses it, on two seeds' reports made up so
 * that the speedups are known by hand: the one-worker run reaches FID 30, 20 and 10 at steps 2,000,
 * 3,000 and 4,000; seed a's two-worker run reaches 30 and 20 at 1,000 and 1,500 (2×, 2×), seed b's
 * at 1,600 and 2,000 (1.25×, 1.5×); neither reaches 10.
 */
@Tag("integration")
class TimeToQualitySeedsScriptTest {
    @TempDir
    Path tmp;

    @Test
    void summarisesTheSpeedupsOfEachSeedAndPlotsThem() throws Exception {
        writeReport(tmp.resolve("a"), "[[1000, 30.0], [1500, 20.0], [2000, 15.0]]");
        writeReport(tmp.resolve("b"), "[[1200, 40.0], [1600, 30.0], [2000, 20.0]]");
        Path out = tmp.resolve("out");
        Result r = run("--runs", "n2-test", out.toString(), tmp.resolve("a").toString(), tmp.resolve("b").toString());
        assertEquals(0, r.exit, r.output);

        String table = Files.readString(out.resolve("time-to-quality-seeds.md"));
        assertTrue(table.contains("| n2-test | 2.00-2.00x (2 of 3), last FID 15.0 at 2000 "
                + "| 1.25-1.50x (2 of 3), last FID 20.0 at 2000 |"), table);
        assertTrue(table.contains("| n1-base | last FID 10.0 at 4000 | last FID 10.0 at 4000 |"), table);
        byte[] png = Files.readAllBytes(out.resolve("time-to-quality-seeds.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG plot");
    }

    @Test
    void namesAMissingReportOrRun() throws Exception {
        Result missing = run(tmp.resolve("out").toString(), tmp.resolve("nowhere").toString());
        assertNotEquals(0, missing.exit);
        assertTrue(missing.output.contains("nowhere/time-to-quality.json is missing"), missing.output);

        writeReport(tmp.resolve("a"), "[[1000, 30.0]]");
        Result unknown = run("--runs", "n4-other", tmp.resolve("out").toString(), tmp.resolve("a").toString());
        assertNotEquals(0, unknown.exit);
        assertTrue(unknown.output.contains("no run named n4-other"), unknown.output);
    }

    private record Result(int exit, String output) {
    }

    /** The script under the first python with matplotlib, as time-to-quality.sh picks it. */
    private Result run(String... args) throws Exception {
        String script = "python=python3; python3 -c 'import matplotlib' 2>/dev/null || python=/usr/bin/python3; "
                + "exec \"$python\" scripts/time-to-quality-seeds.py \"$@\"";
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", "-c", script, "seeds"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "seeds", ".log");
        int exit = SparkSubmitProcess.run(cmd, Map.of(), log, 120);
        return new Result(exit, Files.readString(log));
    }

    private static void writeReport(Path dir, String twoWorkerEvals) throws Exception {
        Files.createDirectories(dir);
        String json = "{\"runs\": ["
                + "{\"name\": \"n1-base\", \"workers\": 1, \"evals\": [[1000, 50.0], [2000, 30.0], [3000, 20.0], "
                + "[4000, 10.0]]},"
                + "{\"name\": \"n2-test\", \"workers\": 2, \"evals\": " + twoWorkerEvals + "}], \"speedups\": []}";
        Files.writeString(dir.resolve("time-to-quality.json"), json);
    }
}
