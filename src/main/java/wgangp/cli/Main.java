package wgangp.cli;

import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import wgangp.data.InvalidDataException;
import wgangp.io.RunRefusedException;
import wgangp.train.BlasKernel;

/** The command line: one entry point, a few subcommands. {@code WganGpJob} delegates here. */
@Command(name = "WganGpJob", mixinStandardHelpOptions = true, version = "spark-wgan-gp 0.1.0",
        description = "Data-parallel WGAN-GP training on Spark with an exact gradient penalty.",
        subcommands = {TrainCommand.class, GifCommand.class, GalleryCommand.class, SampleCommand.class,
            EvaluateCommand.class, BrowseCommand.class, CheckGradientsCommand.class, BenchCommand.class})
public final class Main {

    private Main() {
    }

    /** Runs the command line and returns the process exit code (see {@link ExitCodes}). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * {@link #run(String...)} with what picocli, and the commands that print through it, write sent
     * to {@code out} and {@code err}.
     */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        // Every command computes with the kernel a training run would use; train pins its run's
        // own (blas.coreType) once its configuration is read, still before ND4J loads.
        BlasKernel.pin(BlasKernel.fromEnvironment());
        CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Optional<String> backend = BackendFailure.explain(e);
            if (backend.isPresent()) {
                return backendUnavailable(err, backend.get());
            }
            int code = exitCodeFor(e);
            if (code == ExitCodes.INTERNAL_ERROR) {
                e.printStackTrace(err);
            }
            err.println("error: " + e.getMessage());
            err.flush();
            return code;
        });
        try {
            return cli.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler; ND4J's failed backend load is an Error.
            Optional<String> backend = BackendFailure.explain(e);
            if (backend.isPresent()) {
                return backendUnavailable(err, backend.get());
            }
            throw e;
        }
    }

    private static int backendUnavailable(PrintWriter err, String message) {
        err.println("error: " + message);
        err.flush();
        return ExitCodes.BACKEND_UNAVAILABLE;
    }

    static int exitCodeFor(Exception e) {
        if (e instanceof InvalidDataException) {
            return ExitCodes.BAD_INPUT;
        }
        if (e instanceof IllegalArgumentException) {
            return ExitCodes.BAD_CONFIG;
        }
        if (e instanceof RunRefusedException) {
            return ExitCodes.RUN_DIRECTORY_EXISTS;
        }
        return ExitCodes.INTERNAL_ERROR;
    }
}
