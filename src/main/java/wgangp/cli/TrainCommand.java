package wgangp.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import wgangp.data.BroadcastPartitions;
import wgangp.data.DataLocation;
import wgangp.data.IdxImages;
import wgangp.data.IdxReader;
import wgangp.data.Shard;
import wgangp.data.Shards;
import wgangp.distributed.GuardedListeners;
import wgangp.distributed.NonFiniteException;
import wgangp.distributed.RoundReport;
import wgangp.distributed.TrainingListener;
import wgangp.distributed.Segment;
import wgangp.distributed.TrainingLoop;
import wgangp.io.CheckpointWriter;
import wgangp.io.Checkpoints;
import wgangp.io.ConsoleProgress;
import wgangp.io.GalleryPage;
import wgangp.io.GalleryWriter;
import wgangp.io.Json;
import wgangp.io.MetricsLog;
import wgangp.io.RunDirectory;
import wgangp.io.RunInUseException;
import wgangp.io.RunLock;
import wgangp.io.SampleGrids;
import wgangp.job.ConfigKey;
import wgangp.job.ConfigSources;
import wgangp.job.JobConfig;
import wgangp.model.Architecture;
import wgangp.model.DcganSpec;
import wgangp.model.Engine;
import wgangp.train.BlasKernel;
import wgangp.train.RoundSchedule;
import wgangp.train.SampleNoise;
import wgangp.train.Seeds;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;
import wgangp.train.WganGpStep;

/**
 * {@code train}: data-parallel WGAN-GP with parameter averaging, outputs into a run directory on
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
 * settings. Spark's master and resources come from spark-submit, never from here.
 */
@Command(name = "train", mixinStandardHelpOptions = true, modelTransformer = TrainCommand.KeyOptions.class,
        description = "Train WGAN-GP data-parallel on Spark; writes samples, checkpoints and metrics to --out.")
public final class TrainCommand implements Callable<Integer> {
    private static final String JAVA_SERIALIZER = "org.apache.spark.serializer.JavaSerializer";

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

    @Option(names = "--lock-timeout", paramLabel = "SECONDS", description = "how long this driver's hold on --out"
            + " outlives its last heartbeat; after that another train --resume may take the run over (default: 180)")
    double lockTimeoutSeconds = RunLock.DEFAULT_TIMEOUT.toSeconds();

    /** The validated config, and the checkpoint to continue from (null: start from step 0). */
    record Resolved(JobConfig config, Checkpoints.Checkpoint checkpoint) {
    }

    @Override
    public Integer call() throws Exception {
        SparkConf sparkConf = sparkConf();
        Configuration hadoop = HadoopConf.from(sparkConf);
        Resolved resolved = resolve(hadoop);
        // Before anything loads ND4J: OpenBLAS reads its kernel once, when it loads.
        BlasKernel.pin(resolved.config().blasCoreType());
        return run(resolved.config(), resolved.checkpoint(), sparkConf, hadoop);
    }

    /**
     * Spark's settings as spark-submit left them, plus an app name if none was given. The job
     * ships Java records (the state, shards, losses); Kryo 4, which Spark 3.5 bundles, cannot
     * serialize records, so the Java serializer is used whatever spark.serializer says.
     */
    static SparkConf sparkConf() {
        SparkConf conf = new SparkConf().setIfMissing("spark.app.name", "wgan-gp");
        String serializer = conf.get("spark.serializer", JAVA_SERIALIZER);
        if (!serializer.equals(JAVA_SERIALIZER)) {
            System.err.println("warning: spark.serializer=" + serializer + " replaced by " + JAVA_SERIALIZER
                    + ": this job's records need Java serialization");
        }
        return conf.set("spark.serializer", JAVA_SERIALIZER);
    }

    /**
     * Layers the configuration: built-in defaults, then conf/wgan-gp.properties or --conf, then
     * the options (with --resume: the checkpoint's config, or the run's config.json when it has no
     * complete checkpoint yet, then --conf if given, then the options, and only non-training keys
     * may differ from the saved config).
     */
    Resolved resolve(Configuration hadoop) throws IOException {
        if (resume && overwrite) {
            throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        }
        Map<String, String> overrides = overrides();
        if (!resume) {
            Map<String, String> file = confFile != null ? ConfigSources.properties(confFile, hadoop)
                    : ConfigSources.defaultFileOrBuiltIn();
            String source = confFile != null ? confFile : ConfigSources.DEFAULT_FILE;
            Map<String, String> base = JobConfig.defaults();
            for (Map.Entry<String, String> e : file.entrySet()) {
                if (!base.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("unknown configuration key '" + e.getKey() + "' in " + source
                            + "; the keys are those of " + ConfigSources.DEFAULT_FILE);
                }
                base.put(e.getKey(), e.getValue());
            }
            JobConfig config = JobConfig.fromMap(base, overrides, "command line");
            if (config.out().isEmpty()) {
                String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
                config = config.withOut("runs/" + stamp);
            }
            return new Resolved(config, null);
        }
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
        JobConfig config = JobConfig.fromMap(base, overrides, "--resume");
        List<String> changed = config.trainingDifferences(saved);
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException("--resume must train as " + source + " says, but "
                    + String.join(", ", changed) + "; only " + String.join(", ", JobConfig.resumableKeys())
                    + " may change");
        }
        return new Resolved(config, checkpoint);
    }

    /** The driver: checks, then rounds on Spark with listeners writing the run, under the run's lock. */
    private Integer run(JobConfig config, Checkpoints.Checkpoint checkpoint, SparkConf sparkConf,
                        Configuration hadoop) throws IOException {
        RunDirectory run = RunDirectory.at(config.out(), hadoop);
        Duration lockTimeout = lockTimeout();
        int refused = refusedDestination(run, checkpoint);
        if (refused != ExitCodes.OK) {
            return refused;
        }
        requireBackend(config);
        // Read and validate the data before anything is written or Spark starts.
        TrainingData data = TrainingData.read(config, hadoop);
        WganGpConfig model = config.model(data.images().pixelsPerImage());
        long total = RoundSchedule.totalGeneratorSteps(config.epochs(), config.maxCriticIters(), data.images().count(),
                config.batch(), config.nCritic(), config.workers());
        TrainingLoop.Plan plan = new TrainingLoop.Plan(model, config.workers(), config.parallelism(),
                config.averagingFrequency(), config.segmentSteps(), config.batchNormSync(),
                config.outerOptimizer(), config.seed(), total, data.images().count(), config.blasCoreType());
        Start start = Start.of(checkpoint, model, plan);

        System.out.println(Json.pretty(config.toJson()).trim());
        System.err.println(backendLine(config.engine()));
        RunEnvironment.pinBlasKernel(sparkConf, config.blasCoreType(), System.getenv());
        if (plan.synchronous()) {
            Segment.prepare(sparkConf, config.workers());
        }
        JavaSparkContext sc = new JavaSparkContext(sparkConf);
        StepReached reached = new StepReached();
        // Nothing is written into the run before its lock is held, the clean-up of unfinished writes included.
        try (RunLock lock = own(run, sc.sc().applicationId(), lockTimeout);
             StopSignals signals = StopSignals.install(stop -> stopAtOnce(stop, lock, run, reached.step, total, sc));
             BroadcastPartitions<Shard> distributed = Shards.distribute(sc, data.shards())) {
            Map<String, Object> provenance = provenance(config, model, data.location(), data.images(), sc,
                    checkpoint);
            String configJson = Json.pretty(config.toJson());
            prepare(run, configJson, provenance);
            System.err.printf("training %d generator steps (%s) on %d workers, Adam rate %s, into %s%n",
                    total - start.state().generatorSteps(),
                    checkpoint == null ? "from scratch" : "from " + checkpoint.name(), config.workers(),
                    model.learningRate(), run.root());
            List<TrainingListener> listeners = listeners(run, lock, config, model, data.images(), start.noise(),
                    configJson, provenance, plan, reached);
            distributed.rdd().count();
            TrainingState end;
            try {
                end = new TrainingLoop(plan, listeners, signals).run(sc, distributed.rdd(), start.state());
            } catch (NonFiniteException e) {
                System.err.println("error: " + e.getMessage());
                return ExitCodes.CHECK_FAILED;
            }
            if (end.generatorSteps() < total && signals.requested().isPresent()) {
                StopSignals.Stop stop = signals.requested().get();
                System.err.println(StopReport.line(stop, false, end.generatorSteps(), total,
                        latestCheckpoint(run), StopReport.resumeCommand(run.root().toString(), sc.getConf())));
                return stop.exitCode();
            }
            System.err.println(doneReport(run, end, plan));
            return ExitCodes.OK;
        } finally {
            sc.stop();
        }
    }

    /**
     * Exit code 4 with a message when {@code run} may not be trained into: a live driver owns it
     * ({@link RunInUseException}), or it holds something and neither --resume nor a usable
     * --overwrite was given; {@link ExitCodes#OK} otherwise.
     */
    private int refusedDestination(RunDirectory run, Checkpoints.Checkpoint checkpoint) throws IOException {
        Optional<RunLock.Status> owner = RunLock.read(run, Instant.now());
        if (owner.isPresent() && owner.get().live()) {
            throw new RunInUseException(run, owner.get());
        }
        if (checkpoint == null && !resume && !overwrite && run.existsNonEmpty()) {
            System.err.println("error: run directory " + run.root() + " already exists and is not empty; pass --resume"
                    + " to continue it, --overwrite to replace it, or choose another --out");
            return ExitCodes.RUN_DIRECTORY_EXISTS;
        }
        if (overwrite && run.existsNonEmpty() && !run.looksLikeRun()) {
            System.err.println("error: --overwrite refused: " + run.root() + " holds files but no config.json or"
                    + " checkpoints/, so it does not look like a run directory; delete it yourself if it is one");
            return ExitCodes.RUN_DIRECTORY_EXISTS;
        }
        return ExitCodes.OK;
    }

    /**
     * Refuses an engine this JVM's backend cannot run, a BLAS kernel other than the run's, and
     * synchronised BatchNorm on the device engine.
     */
    private static void requireBackend(JobConfig config) {
        if (config.engine() == Engine.HOST && !Engine.cpuBackend()) {
            throw new IllegalArgumentException("engine=host runs on ND4J's CPU backend only, and this build loaded "
                    + Nd4j.getBackend().getClass().getSimpleName() + "; use engine=device or auto");
        }
        BlasKernel.require(config.blasCoreType(), "the driver");
        if (config.synchronous() && config.batchNormSync() && config.engine().resolve() == Engine.DEVICE) {
            throw new IllegalArgumentException("generator.batchNormSync=true synchronises BatchNorm on the host engine"
                    + " only, and this run trains on the device engine: set generator.batchNormSync=false");
        }
    }

    /** The images, validated, and their shards, one per worker. */
    record TrainingData(DataLocation location, IdxImages images, List<Shard> shards) {
        static TrainingData read(JobConfig config, Configuration hadoop) throws IOException {
            DataLocation location = DataLocation.resolve(config.data(), hadoop);
            IdxImages images = IdxReader.readImages(location.images(), hadoop);
            if (location.labels().isPresent()) {
                // Training ignores the labels, but labels that do not match the images mean the wrong files.
                IdxReader.checkSameCount(images, IdxReader.readLabels(location.labels().get(), hadoop));
            }
            if (config.model() == Architecture.DCGAN) {
                DcganSpec.requireImageShape(images.rows(), images.cols(), images.source());
            }
            int smallestShard = images.count() / config.workers();
            if (config.batch() > smallestShard) {
                throw new IllegalArgumentException("batch=" + config.batch() + " is larger than the smallest shard, "
                        + smallestShard + " images (" + images.count() + " images in " + images.source() + " over "
                        + config.workers() + " workers); lower batch or workers");
            }
            return new TrainingData(location, images, Shards.split(images, config.workers(), Seeds.shards(config.seed())));
        }
    }

    /** Where training starts: a checkpoint's state and sample noise, or step 0 from the seed. */
    record Start(TrainingState state, float[] noise) {
        static Start of(Checkpoints.Checkpoint checkpoint, WganGpConfig model, TrainingLoop.Plan plan) {
            int latent = model.generator().latentSize();
            if (checkpoint == null) {
                return new Start(WganGpStep.initialState(model, plan.seed()),
                        SampleNoise.draw(SampleGrids.GRID * SampleGrids.GRID, latent, plan.seed()));
            }
            if (checkpoint.sampleNoise().length % latent != 0) {
                throw new IllegalStateException(checkpoint.name() + " holds sample noise of the wrong width");
            }
            if (!RoundSchedule.isBoundary(checkpoint.state().generatorSteps(), plan.totalSteps(), plan.roundSteps())) {
                System.err.println("warning: " + checkpoint.name() + " is not at a multiple of "
                        + (plan.synchronous() ? "segmentSteps" : "averagingFrequency")
                        + "; the resumed run will not reproduce an uninterrupted one exactly");
            }
            return new Start(checkpoint.state(), checkpoint.sampleNoise());
        }
    }

    /** Clears or tidies the run directory (lock held) and writes its config and provenance. */
    private void prepare(RunDirectory run, String configJson, Map<String, Object> provenance) throws IOException {
        run.prepare(overwrite);
        for (Path p : run.removeUnfinishedWrites()) {
            System.err.println("removed " + p + ", left unfinished by an interrupted run");
        }
        run.writeText(RunDirectory.CONFIG, configJson);
        run.writeText(RunDirectory.PROVENANCE, Json.pretty(provenance));
    }

    /**
     * What the driver writes as training goes (the metrics of a checkpoint's rounds are flushed
     * before it): the run's writers, each silenced once the lock is lost, behind a check of the lock
     * before each round's writes.
     */
    private static List<TrainingListener> listeners(RunDirectory run, RunLock lock, JobConfig config,
                                                    WganGpConfig model, IdxImages images, float[] noise,
                                                    String configJson, Map<String, Object> provenance,
                                                    TrainingLoop.Plan plan, StepReached reached) {
        List<TrainingListener> listeners = new ArrayList<>(GuardedListeners.of(lock::requireOwned, lock::lost, List.of(
                new MetricsLog(run.fs(), run.file(RunDirectory.METRICS), 10_000, config.checkpointInterval()),
                new SampleGrids(run.fs(), run.samples(), model, noise, images.rows(), images.cols(),
                        config.sampleInterval(), plan::epoch),
                new CheckpointWriter(run.checkpoints(), noise, model.generator().latentSize(), configJson, provenance,
                        config.checkpointInterval(), config.keepCheckpoints(), plan::epoch),
                new GalleryWriter(run.fs(), run.root(), config.sampleInterval(), 60_000))));
        listeners.add(new ConsoleProgress(30_000));
        listeners.add(reached);
        return listeners;
    }

    private static String doneReport(RunDirectory run, TrainingState end, TrainingLoop.Plan plan) {
        return String.format(Locale.ROOT, "done: %d generator steps, epoch %.2f%n  samples:     %s/%n"
                        + "  progress:    %s/progress.gif%n  checkpoint:  %s/%s%n  metrics:     %s%n  page:        %s",
                end.generatorSteps(), plan.epoch(end.criticSteps()), run.samples(), run.samples(),
                run.checkpoints().dir(), Checkpoints.name(end.generatorSteps()), run.file(RunDirectory.METRICS),
                run.file(GalleryPage.NAME));
    }

    private Duration lockTimeout() {
        Duration timeout = Duration.ofMillis(Math.round(lockTimeoutSeconds * 1000));
        if (!(lockTimeoutSeconds * 1000 >= RunLock.MIN_TIMEOUT.toMillis())) {
            throw new IllegalArgumentException("--lock-timeout " + lockTimeoutSeconds + ": must be >= "
                    + RunLock.MIN_TIMEOUT.toSeconds() + " seconds");
        }
        return timeout;
    }

    /** Takes the run directory for this driver; says whose lock it took over, if any. */
    private static RunLock own(RunDirectory run, String applicationId, Duration timeout) throws IOException {
        RunLock lock = RunLock.acquire(run, applicationId, timeout);
        lock.tookOver().ifPresent(old -> System.err.println("warning: taking over " + run.root() + " from "
                + old.describe(Instant.now()) + ": " + old.reason()));
        return lock;
    }

    /** The newest complete checkpoint's path, or null when there is none. */
    private static String latestCheckpoint(RunDirectory run) {
        try {
            String name = run.checkpoints().latestName();
            return name == null ? null : new Path(run.checkpoints().dir(), name).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A second signal: no waiting for the round in flight. Whatever it was writing is a temporary
     * file that the next resume removes; the lock is released so that the resume need not wait.
     */
    private static void stopAtOnce(StopSignals.Stop stop, RunLock lock, RunDirectory run, long step, long total,
                                   JavaSparkContext sc) {
        System.err.println(StopReport.line(stop, true, step, total, latestCheckpoint(run),
                StopReport.resumeCommand(run.root().toString(), sc.getConf())));
        try {
            lock.release();
        } catch (IOException | RuntimeException e) {
            // Left behind, the lock names a process that has ended, which a resume on this host takes over.
        }
        Runtime.getRuntime().halt(stop.exitCode());
    }

    /** The step of the last completed round, for a stop that cannot wait for the loop to report it. */
    private static final class StepReached implements TrainingListener {
        private volatile long step;

        @Override
        public void onStart(TrainingState state, long totalSteps) {
            step = state.generatorSteps();
        }

        @Override
        public void onRound(RoundReport report) {
            step = report.generatorSteps();
        }
    }

    /**
     * The driver's ND4J backend and the engine it means; executors load the same jar, so the same
     * backend. On a device backend, also how many CUDA devices the driver sees.
     */
    static String backendLine(Engine engine) {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        Engine resolved = engine.resolve();
        String chosen = engine == Engine.AUTO ? "engine auto -> " + resolved : "engine " + resolved;
        if (Engine.cpuBackend()) {
            return "ND4J backend: " + backend + " (" + chosen + "), OpenBLAS kernel " + BlasKernel.inUse().orElseThrow()
                    + " on every JVM; each worker sets its native threads to spark.task.cpus";
        }
        return "ND4J backend: " + backend + ", " + Nd4j.getAffinityManager().getNumberOfDevices()
                + " CUDA device(s) visible to the driver (" + chosen + "); each task trains on the GPU Spark assigns"
                + " it (spark.task.resource.gpu.amount), or on ND4J's default device when it has none";
    }

    private static Map<String, Object> provenance(JobConfig config, WganGpConfig model, DataLocation location,
                                                  IdxImages images, JavaSparkContext sc,
                                                  Checkpoints.Checkpoint resumedFrom) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("git_sha", BuildInfo.gitSha());
        p.put("data", location.images());
        p.put("images", images.count());
        p.put("image_rows", images.rows());
        p.put("image_cols", images.cols());
        p.put("seed", config.seed());
        p.put("workers", config.workers());
        // What lr.workerScaling and lr.maxWorkerScale made of lr for this many workers.
        p.put("replica_learning_rate", model.learningRate());
        p.put("spark_application_id", sc.sc().applicationId());
        p.put("spark_master", sc.master());
        p.put("spark_version", sc.version());
        p.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        // The kernel the driver computes with; every task checks that its JVM has the same one.
        p.put("blas_core_type", BlasKernel.inUse().orElse(null));
        p.put("blas_l2_size", System.getenv(BlasKernel.L2_SIZE_ENV));
        p.put("resumed_from", resumedFrom == null ? null : resumedFrom.name());
        p.put("started_at", java.time.Instant.now().toString());
        return p;
    }

    /** Command-line values by configuration key; --set first, the keys' own options over it. */
    Map<String, String> overrides() {
        Map<String, String> o = Options.settings(settings);
        for (ConfigKey<?> key : JobConfig.KEYS) {
            String value = key.option() == null ? null : spec.findOption(key.option()).getValue();
            if (value != null) {
                o.put(key.name(), value);
            }
        }
        return o;
    }

    /**
     * Adds an option for each configuration key that has one ({@link ConfigKey#option()}), with
     * the key's help and default, so that the table of keys is the only place they are written.
     */
    public static final class KeyOptions implements CommandLine.IModelTransformer {
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
    }
}
