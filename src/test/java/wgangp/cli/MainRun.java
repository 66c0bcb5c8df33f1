package wgangp.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process call of the job's entry point, {@link Main#run}, with what it printed. */
record MainRun(int exit, String stdout, String stderr) {

    static MainRun of(String... argv) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            exit = Main.run(argv);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new MainRun(exit, printed.toString(StandardCharsets.UTF_8), errors.toString(StandardCharsets.UTF_8));
    }
}
