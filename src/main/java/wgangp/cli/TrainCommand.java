package wgangp.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import wgangp.distributed.SparkSettings;
import wgangp.io.Checkpoints;
import wgangp.io.RunAdmission;
import wgangp.job.ConfigLayers;
import wgangp.job.ConfigSources;
import wgangp.job.JobConfig;
import wgangp.job.TrainingJob;
import wgangp.job.TrainingResult;

/**
 * {@code train}: data-parallel WGAN-GP (synchronous or averaged replicas), outputs into a run directory on
 * any Hadoop file system.
 *
 * <pre>
 *   ./submit.sh train --epochs 5                                   # local[*], bundled MNIST
 *   spark-submit --master yarn --class WganGpJob spark-wgan-gp-0.1.0-SNAPSHOT-all.jar train \
 *       --data hdfs:///data/mnist --out hdfs:///runs/a --workers 8
 *   ./submit.sh train --out runs/a --resume --epochs 50             # continue a run further
 * </pre>
 *
 * Values come from conf/wgan-gp.properties (or --conf), overridden by the options below; a resumed
 * run starts from the checkpoint's config instead, and may change only the stopping and output
 * settings ({@link ConfigLayers}). Spark's master and resources come from spark-submit, never from
 * here. The run itself is a {@link TrainingJob}; this command adds the signals that stop it.
 */
@Command(name = "train", mixinStandardHelpOptions = true, modelTransformer = KeyOptions.class,
        description = "Train WGAN-GP data-parallel on Spark; writes samples, checkpoints and metrics to --out.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--conf", paramLabel = "FILE",
            description = "properties file (default: " + ConfigSources.DEFAULT_FILE + " if present, else built-in"
                    + " defaults; with --resume: the checkpoint's config)")
    String confFile;

    @Spec
    CommandSpec spec;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any configuration key (repeatable)")
    List<String> settings = new ArrayList<>();

    @Option(names = "--resume", description = "continue the run in --out from its latest complete checkpoint")
    boolean resume;

    @Option(names = "--overwrite", description = "replace the run in --out (a directory holding config.json or"
            + " checkpoints/) and start afresh")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        SparkConf sparkConf = SparkSettings.fromSubmit();
        Configuration hadoop = HadoopConf.from(sparkConf);
        ConfigLayers.Resolved resolved = resolve(hadoop);
        // Before anything loads ND4J: OpenBLAS reads its kernel once, when it loads, and oneDNN takes
        // its instruction set once, before its first convolution.
        resolved.config().nativeKernels().pin();
        return train(resolved.config(), resolved.checkpoint(), sparkConf, hadoop);
    }

    /** The options' configuration, layered as {@link ConfigLayers} says. */
    ConfigLayers.Resolved resolve(Configuration hadoop) throws IOException {
        if (resume && overwrite) {
            throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        }
        return resume ? ConfigLayers.resume(confFile, overrides(), hadoop)
                : ConfigLayers.fresh(confFile, overrides(), hadoop);
    }

    /** Trains {@code config} with SIGINT and SIGTERM asking it to stop; the exit code says how it ended. */
    private int train(JobConfig config, Checkpoints.Checkpoint checkpoint, SparkConf sparkConf, Configuration hadoop)
            throws IOException {
        RunAdmission.Intent intent = resume ? RunAdmission.Intent.RESUME
                : overwrite ? RunAdmission.Intent.OVERWRITE : RunAdmission.Intent.NEW;
        TrainingJob job = TrainingJob.prepare(config, checkpoint, intent, hadoop);
        try (JavaSparkContext sc = new JavaSparkContext(job.sparkConf(sparkConf));
             StopSignals signals = StopSignals.install(stop -> stopAtOnce(stop, job.abandon(), job, sc))) {
            TrainingResult result = job.run(sc, signals);
            return switch (result.stoppedBy()) {
                case COMPLETED -> ExitCodes.OK;
                case NON_FINITE -> {
                    System.err.println("error: " + result.reason());
                    yield ExitCodes.CHECK_FAILED;
                }
                case STOP_REQUESTED -> {
                    StopSignals.Stop stop = signals.requested().orElseThrow();
                    System.err.println(StopReport.line(stop, false, result.finalStep(), result.totalSteps(),
                            result.lastCheckpoint(), StopReport.resumeCommand(job.runDirectory(), sc.getConf())));
                    yield stop.exitCode();
                }
            };
        }
    }

    /** A second signal: the run is given up without waiting for the round in flight, and the JVM ends. */
    private static void stopAtOnce(StopSignals.Stop stop, TrainingResult where, TrainingJob job, JavaSparkContext sc) {
        System.err.println(StopReport.line(stop, true, where.finalStep(), where.totalSteps(), where.lastCheckpoint(),
                StopReport.resumeCommand(job.runDirectory(), sc.getConf())));
        Runtime.getRuntime().halt(stop.exitCode());
    }

    /** Command-line values by configuration key; --set first, the keys' own options over it. */
    Map<String, String> overrides() {
        return KeyOptions.values(spec, Options.settings(settings));
    }
}
