package wgangp.job;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import wgangp.io.Checkpoints;
import wgangp.io.RunDirectory;

/**
 * The configuration of a run, layered: built-in defaults, then conf/wgan-gp.properties or a given
 * file, then the command line's values. A resumed run starts from the checkpoint's config instead
 * (or the run's config.json when it has no complete checkpoint yet), then the given file, then the
 * command line's values, and only keys outside {@link JobConfig#TRAINING_KEYS} may differ from the
 * saved config.
 */
public final class ConfigLayers {
    /** The validated config, and the checkpoint to continue from (null: start from step 0). */
    public record Resolved(JobConfig config, Checkpoints.Checkpoint checkpoint) {
    }

    private ConfigLayers() {
    }

    /**
     * A new run's config: {@code confFile} (null: the default file, else the built-in defaults) under
     * {@code overrides}; an empty {@code out} becomes {@code runs/<timestamp>}.
     */
    public static Resolved fresh(String confFile, Map<String, String> overrides, Configuration hadoop) {
        Map<String, String> file = confFile != null ? ConfigSources.properties(confFile, hadoop)
                : ConfigSources.defaultFileOrBuiltIn();
        Map<String, String> base = JobConfig.defaults();
        base.putAll(JobConfig.requireKnown(file, confFile != null ? confFile : ConfigSources.DEFAULT_FILE));
        JobConfig config = JobConfig.fromMap(base, overrides, "the command line");
        if (config.out().isEmpty()) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            config = config.withOut("runs/" + stamp);
        }
        return new Resolved(config, null);
    }

    /** The config and checkpoint that continue the run in {@code overrides}' (or the file's) {@code out}. */
    public static Resolved resume(String confFile, Map<String, String> overrides, Configuration hadoop)
            throws IOException {
        Map<String, String> file = confFile == null ? Map.of() : ConfigSources.properties(confFile, hadoop);
        String runUri = overrides.getOrDefault(JobConfig.OUT.name(), file.getOrDefault(JobConfig.OUT.name(), ""));
        if (runUri.isBlank()) {
            throw new IllegalArgumentException("--resume needs --out naming the run directory to continue");
        }
        RunDirectory run = RunDirectory.at(runUri, hadoop);
        Checkpoints.Checkpoint checkpoint = run.checkpoints().loadLatest().orElse(null);
        String savedJson;
        String source;
        if (checkpoint != null) {
            savedJson = checkpoint.configJson();
            source = "checkpoint " + checkpoint.name();
        } else {
            // A driver that died before its first checkpoint left only config.json: start that run
            // again from step 0, which loses less than one checkpoint interval, like any resume.
            savedJson = run.readText(RunDirectory.CONFIG);
            source = run.file(RunDirectory.CONFIG).toString();
            if (savedJson == null) {
                throw new IllegalArgumentException("--resume: " + run.root() + " holds no complete checkpoint and no "
                        + RunDirectory.CONFIG + "; start the run again with --overwrite");
            }
            System.err.println("warning: " + run.root() + " holds no complete checkpoint; --resume starts it again"
                    + " from step 0 with its " + RunDirectory.CONFIG);
        }
        JobConfig saved = JobConfig.fromCheckpoint(ConfigSources.json(savedJson, source), source);
        Map<String, String> base = saved.toStrings();
        base.putAll(file);
        base.put(JobConfig.OUT.name(), runUri);
        JobConfig config = JobConfig.fromMap(base, overrides, "the command line of --resume");
        List<String> changed = config.trainingDifferences(saved);
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException("--resume must train as " + source + " says, but "
                    + String.join(", ", changed) + "; only " + String.join(", ", JobConfig.resumableKeys())
                    + " may change");
        }
        return new Resolved(config, checkpoint);
    }
}
