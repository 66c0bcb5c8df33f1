package wgangp.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import wgangp.job.ConfigKey;
import wgangp.job.JobConfig;

/**
 * The {@code train} options of the configuration keys that have one ({@link ConfigKey#option()}),
 * with the key's help and default, so that the table of keys is the only place they are written.
 */
public final class KeyOptions implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec command) {
        for (ConfigKey<?> key : JobConfig.KEYS) {
            if (key.option() != null) {
                String defaultText = key.defaultValue().isEmpty() ? "" : " (default: " + key.defaultValue() + ")";
                command.addOption(OptionSpec.builder(key.option()).paramLabel(key.paramLabel()).type(String.class)
                        .description(key.help() + defaultText).build());
            }
        }
        // --set names every key it accepts, from the same table.
        OptionSpec set = command.findOption("--set");
        command.remove(set);
        command.addOption(set.toBuilder().description("any configuration key (repeatable): "
                + String.join(", ", JobConfig.keys())).build());
        return command;
    }

    /** {@code settings} (the --set values by key) with the key options given in {@code command} over them. */
    static Map<String, String> values(CommandSpec command, Map<String, String> settings) {
        for (ConfigKey<?> key : JobConfig.KEYS) {
            String value = key.option() == null ? null : command.findOption(key.option()).getValue();
            if (value != null) {
                settings.put(key.name(), value);
            }
        }
        return settings;
    }
}
