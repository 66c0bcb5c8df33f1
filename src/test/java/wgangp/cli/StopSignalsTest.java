package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** The first signal asks for a stop, a second one stops at once; the one line a stopped train prints. */
class StopSignalsTest {

    @Test
    void firstSignalRequestsAStopAndASecondStopsAtOnce() throws Exception {
        // Raising SIGINT in this JVM is safe only while a handler of ours is installed: the JVM's default
        // one would shut the test run down. A JVM started with SIGINT ignored keeps it ignored.
        List<StopSignals.Stop> hardStops = new CopyOnWriteArrayList<>();
        SignalHandler before = Signal.handle(new Signal("INT"), SignalHandler.SIG_DFL);
        Signal.handle(new Signal("INT"), before);
        assumeTrue(before != SignalHandler.SIG_IGN, "this JVM was started with SIGINT ignored");
        try (StopSignals signals = StopSignals.install(hardStops::add)) {
            assertFalse(signals.getAsBoolean());
            Signal.raise(new Signal("INT"));
            awaitTrue(signals::getAsBoolean);
            assertEquals(new StopSignals.Stop("INT", ExitCodes.INTERRUPTED), signals.requested().orElseThrow());
            assertEquals(List.of(), hardStops);
            Signal.raise(new Signal("TERM"));
            awaitTrue(() -> !hardStops.isEmpty());
            assertEquals(List.of(new StopSignals.Stop("TERM", ExitCodes.TERMINATED)), hardStops);
            assertEquals("INT", signals.requested().orElseThrow().signal(), "the first stop is the one reported");
        }
        Signal probe = new Signal("INT");
        SignalHandler restored = Signal.handle(probe, SignalHandler.SIG_DFL);
        Signal.handle(probe, restored);
        // sun.misc.Signal wraps the JVM's handler anew on each call; what it wraps is in its toString.
        assertEquals(wrapped(before), wrapped(restored), "close puts the previous handler back");
    }

    @Test
    void theStopLineSaysWhereTheRunStandsAndHowToContinue() {
        StopSignals.Stop stop = new StopSignals.Stop("INT", ExitCodes.INTERRUPTED);
        assertEquals("stopped by SIGINT at step 24 of 48; newest complete checkpoint: file:/r/checkpoints/step-0000024;"
                + " resume with: ./submit.sh train --out file:/r --resume", StopReport.line(stop, false, 24, 48,
                "file:/r/checkpoints/step-0000024", "./submit.sh train --out file:/r --resume"));
        assertEquals("stopped at once by a second SIGINT after step 8 (the round in flight is lost); newest complete"
                + " checkpoint: none (a resume starts again from step 0); resume with: x", StopReport.line(stop, true, 8,
                48, null, "x"));
        assertEquals("'runs/my run'", StopReport.quote("runs/my run"));
        assertEquals("'it'\\''s'", StopReport.quote("it's"));
        assertEquals("hdfs://nn:8020/runs/a", StopReport.quote("hdfs://nn:8020/runs/a"));
        // Without submit.sh's variable (as under surefire): spark-submit with this application's settings.
        assumeTrue(System.getenv(StopReport.SUBMIT_COMMAND_ENV) == null);
        String command = StopReport.resumeCommand("runs/a b", new SparkConf(false).set("spark.master", "local[2]"));
        assertTrue(command.startsWith("spark-submit --master 'local[2]' --class WganGpJob "), command);
        assertTrue(command.endsWith(" train --out 'runs/a b' --resume"), command);
    }

    private static String wrapped(SignalHandler handler) {
        String text = handler.toString();
        return text.substring(Math.max(0, text.indexOf('<')));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "no signal handled within 10 s");
            Thread.sleep(10);
        }
    }
}
