package wgangp.cli;

import picocli.CommandLine.Option;
import wgangp.model.Engine;

/**
 * {@code --engine}, for the commands that compute in their own JVM ({@code bench},
 * {@code check-gradients}); a picocli mixin, so the option is declared once. Training takes its
 * engine from the configuration instead, where it travels to the executors.
 */
final class EngineOption {

    @Option(names = "--engine", defaultValue = "auto", paramLabel = "auto|host|device",
            description = "which implementation computes (default: ${DEFAULT-VALUE}: host on the CPU backend, device"
                    + " otherwise)")
    String value;

    /** The chosen engine resolved for this JVM's ND4J backend: HOST or DEVICE. */
    Engine resolve() {
        try {
            return Engine.parse(value).resolve();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--engine: " + e.getMessage(), e);
        }
    }
}
