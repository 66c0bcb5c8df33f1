package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import wgangp.job.ConfigKey;
import wgangp.job.ConfigLayers;
import wgangp.job.JobConfig;

/** How train layers its configuration, and the failures it reports before Spark starts. */
class TrainCommandConfigTest {
    @TempDir
    Path tmp;

    static ConfigLayers.Resolved resolve(String... args) throws IOException {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs(args);
        return command.resolve(new Configuration());
    }

    @Test
    void theCommandLineOverridesTheFileWhichOverridesTheDefaults() throws IOException {
        Path conf = tmp.resolve("my.properties");
        Files.writeString(conf, "batch=32\nlr=0.001\nworkers=3\n# a comment\ncritic.hidden = 64, 32\n");
        JobConfig c = resolve("--conf", conf.toString(), "--batch", "16", "--set", "workers=5", "--set", "lr=0.01",
                "--lr", "0.005", "--out", "x").config();
        assertEquals(16, c.batch());
        assertEquals(0.005, c.lr());
        assertEquals(5, c.workers());
        assertEquals(List.of(64, 32), c.criticHidden());
        assertEquals(5, c.nCritic());
        assertEquals("x", c.out());
    }

    @Test
    void withoutAConfFileTheDefaultsApplyAndOutGetsATimestamp() throws IOException {
        ConfigLayers.Resolved r = resolve("--epochs", "3");
        assertEquals(3.0, r.config().epochs());
        assertEquals(64, r.config().batch());
        assertTrue(r.config().out().matches("runs/\\d{8}-\\d{6}"), r.config().out());
        assertNull(r.checkpoint());
    }

    @Test
    void anUnknownKeyInTheFileIsFatal() throws IOException {
        Path conf = tmp.resolve("bad.properties");
        Files.writeString(conf, "batch=32\nbatchsize=64\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolve("--conf", conf.toString()));
        assertTrue(e.getMessage().startsWith("unknown configuration key 'batchsize' in " + conf + ";"), e.getMessage());
    }

    @Test
    void exitCodesForConfigDataAndRunDirectoryProblems() throws IOException {
        Path data = tmp.resolve("nodata");
        assertEquals(ExitCodes.BAD_CONFIG, Main.run("train", "--set", "nope=1"));
        assertEquals(ExitCodes.BAD_CONFIG, Main.run("train", "--batch", "x", "--out", tmp.resolve("a").toString()));
        assertEquals(ExitCodes.BAD_CONFIG, Main.run("train", "--conf", tmp.resolve("missing.properties").toString()));
        assertEquals(ExitCodes.BAD_CONFIG, Main.run("train", "--resume", "--overwrite", "--out", "x"));
        assertEquals(ExitCodes.BAD_CONFIG, Main.run("train", "--resume", "--out", tmp.resolve("none").toString()));
        assertEquals(ExitCodes.BAD_INPUT, Main.run("train", "--data", data.toString(), "--out",
                tmp.resolve("b").toString()));
        Path existing = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(existing.resolve("keep.txt"), "mine");
        assertEquals(ExitCodes.RUN_DIRECTORY_EXISTS, Main.run("train", "--out", existing.toString(), "--data",
                data.toString()));
        try (var files = Files.list(existing)) {
            assertEquals(List.of(existing.resolve("keep.txt")), files.toList());
        }
        assertEquals("mine", Files.readString(existing.resolve("keep.txt")));
        // --overwrite deletes only what looks like a run directory.
        assertEquals(ExitCodes.RUN_DIRECTORY_EXISTS, Main.run("train", "--out", existing.toString(), "--overwrite",
                "--data", data.toString()));
        assertEquals("mine", Files.readString(existing.resolve("keep.txt")));
        assertTrue(Files.notExists(tmp.resolve("a")) && Files.notExists(tmp.resolve("b")));
    }

    @Test
    void resumingARunThatDiedBeforeItsFirstCheckpointStartsItAgainWithItsConfig() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.createDirectories(run.resolve("checkpoints/step-0000008"));
        JobConfig original = JobConfig.fromMap(JobConfig.defaults(), java.util.Map.of("batch", "16", "seed", "3",
                "out", run.toString()), "test");
        Files.writeString(run.resolve("config.json"), wgangp.io.Json.pretty(original.toJson()));

        ConfigLayers.Resolved r = resolve("--out", run.toString(), "--resume", "--max-critic-iters", "50");
        assertNull(r.checkpoint());
        assertEquals(16, r.config().batch());
        assertEquals(3, r.config().seed());
        assertEquals(50, r.config().maxCriticIters());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolve("--out", run.toString(), "--resume", "--batch", "32"));
        assertTrue(e.getMessage().contains("batch") && e.getMessage().contains("config.json"), e.getMessage());
        // Nothing to go on: refused, as for a directory that does not exist.
        Files.delete(run.resolve("config.json"));
        e = assertThrows(IllegalArgumentException.class, () -> resolve("--out", run.toString(), "--resume"));
        assertTrue(e.getMessage().contains("no complete checkpoint and no config.json"), e.getMessage());
    }

    /** The train options are the table's: each key with an option sets that key, and its help comes from the key. */
    @Test
    void theTrainOptionsAreDerivedFromTheKeyTable() {
        picocli.CommandLine cli = new picocli.CommandLine(new TrainCommand());
        List<String> options = JobConfig.KEYS.stream().filter(k -> k.option() != null).map(ConfigKey::option).toList();
        assertEquals(17, options.size());
        for (ConfigKey<?> key : JobConfig.KEYS) {
            if (key.option() != null) {
                picocli.CommandLine.Model.OptionSpec option = cli.getCommandSpec().findOption(key.option());
                assertTrue(option != null, key.option());
                assertTrue(String.join(" ", option.description()).startsWith(key.help()), key.name());
            }
        }
        cli.parseArgs("--workers", "4", "--set", "workers=3", "--set", "latent=8", "--lr", "0.001");
        TrainCommand train = cli.getCommand();
        Map<String, String> given = train.overrides();
        assertEquals(Map.of("workers", "4", "latent", "8", "lr", "0.001"), given);
    }
}
