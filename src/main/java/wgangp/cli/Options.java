package wgangp.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import wgangp.job.JobConfig;

/** Parsing of option values that several subcommands share, with errors that name the option. */
final class Options {
    private Options() {
    }

    /** {@code --set KEY=VALUE} values by key, later ones over earlier ones; keys are checked by {@link JobConfig}. */
    static Map<String, String> settings(List<String> settings) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set " + s + ": expected KEY=VALUE");
            }
            o.put(s.substring(0, eq).trim(), s.substring(eq + 1));
        }
        return o;
    }
}
