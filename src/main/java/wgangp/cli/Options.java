package wgangp.cli;

import wgangp.model.Engine;

/** Parsing of option values that several subcommands share, with errors that name the option. */
final class Options {
    private Options() {
    }

    /** The {@code --engine} value, resolved for this JVM's ND4J backend: HOST or DEVICE. */
    static Engine engine(String value) {
        try {
            return Engine.parse(value).resolve();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--engine: " + e.getMessage(), e);
        }
    }
}
