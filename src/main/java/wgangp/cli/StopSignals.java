package wgangp.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT (Ctrl-C) and SIGTERM while {@code train} owns a run. The first asks training to stop
 * after the round in flight ({@link #getAsBoolean} turns true; the training loop asks it between
 * rounds); a second one, of either kind, calls {@code hardStop}, which ends the JVM at once.
 *
 * <p>A signal handler is the JVM's own state, one per signal; {@link #install} replaces the JVM's
 * default one, which would start the shutdown sequence and with it Spark's shutdown hook, stopping
 * the SparkContext under the round in flight (the "SparkContext was shut down" stack traces).
 * {@link #close} puts the previous handlers back. Each handler runs on a thread of its own that
 * the JVM starts per signal, so this only flips an atomic reference and prints a line.
 */
final class StopSignals implements BooleanSupplier, AutoCloseable {
    /** A stop asked for: the signal's name (INT, TERM) and the exit code that reports it. */
    record Stop(String signal, int exitCode) {
        String displayName() {
            return "SIG" + signal;
        }
    }

    private static final Map<String, Integer> EXIT_CODES = Map.of("INT", ExitCodes.INTERRUPTED,
            "TERM", ExitCodes.TERMINATED);

    private final AtomicReference<Stop> requested = new AtomicReference<>();
    private final Consumer<Stop> hardStop;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private StopSignals(Consumer<Stop> hardStop) {
        this.hardStop = hardStop;
    }

    /**
     * Handles SIGINT and SIGTERM from now on. A signal this JVM was started ignoring (nohup, a
     * shell's background job) stays ignored: the JVM keeps no handler for it to replace.
     *
     * @param hardStop what a second signal does; it should not return
     */
    static StopSignals install(Consumer<Stop> hardStop) {
        StopSignals signals = new StopSignals(hardStop);
        for (String name : EXIT_CODES.keySet()) {
            Signal signal = new Signal(name);
            try {
                signals.previous.put(signal, Signal.handle(signal, signals::handle));
            } catch (IllegalArgumentException e) {
                // The JVM reserves the signal (-Xrs, or a debugger's use of it): leave it as it is.
            }
        }
        return signals;
    }

    private void handle(Signal signal) {
        Stop stop = new Stop(signal.getName(), EXIT_CODES.get(signal.getName()));
        if (requested.compareAndSet(null, stop)) {
            System.err.println(stop.displayName() + ": stopping after the round in flight, which is then written;"
                    + " send it again to stop at once");
        } else {
            hardStop.accept(stop);
        }
    }

    /** True once a stop was asked for. */
    @Override
    public boolean getAsBoolean() {
        return requested.get() != null;
    }

    /** The first stop asked for, if any. */
    Optional<Stop> requested() {
        return Optional.ofNullable(requested.get());
    }

    /** Gives the signals back to the handlers they had before {@link #install}. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
    }
}
