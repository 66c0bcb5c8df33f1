package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void timesTheChosenEngineAndRefusesAnUnknownOne() {
        MainRun ok = MainRun.of("bench", "--iters", "5", "--warmup", "5", "--batch", "16", "--engine", "host",
                "--data", TrainingRuns.DATA + "/train-images-idx3-ubyte.gz");
        MainRun bad = MainRun.of("bench", "--engine", "gpu");

        assertEquals(ExitCodes.OK, ok.exit(), ok.toString());
        assertTrue(ok.stdout().contains("\"engine\":\"host\"") && ok.stdout().contains("\"critic_iters\":5,"),
                ok.stdout());
        assertEquals(ExitCodes.BAD_CONFIG, bad.exit());
        assertTrue(bad.stderr().contains("--engine: unknown engine 'gpu'"), bad.stderr());
    }
}
