package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void timesTheChosenEngineAndRefusesAnUnknownOne() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int ok;
        int bad;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            ok = Main.run("bench", "--iters", "5", "--warmup", "5", "--batch", "16", "--engine", "host",
                    "--data", TrainingRuns.DATA + "/train-images-idx3-ubyte.gz");
            bad = Main.run("bench", "--engine", "gpu");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String line = printed.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.OK, ok, line + errors);
        assertTrue(line.contains("\"engine\":\"host\"") && line.contains("\"critic_iters\":5,"), line);
        assertEquals(ExitCodes.BAD_CONFIG, bad);
        assertTrue(errors.toString(StandardCharsets.UTF_8).contains("--engine: unknown engine 'gpu'"), errors.toString());
    }
}
