package wgangp.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import wgangp.data.BroadcastPartitions;
import wgangp.data.Shard;
import wgangp.data.Shards;
import wgangp.distributed.NonFiniteException;
import wgangp.distributed.RoundReport;
import wgangp.distributed.Segment;
import wgangp.distributed.SparkSettings;
import wgangp.distributed.TrainingListener;
import wgangp.distributed.TrainingLoop;
import wgangp.io.Checkpoints;
import wgangp.io.GalleryPage;
import wgangp.io.Json;
import wgangp.io.RunAdmission;
import wgangp.io.RunDirectory;
import wgangp.io.RunLock;
import wgangp.train.TrainingState;

/**
 * One training run as a library call: a validated {@link JobConfig}, an optional checkpoint to
 * continue from, a Spark context; the run directory {@code out} receives samples, checkpoints,
 * metrics and the run page, under the run's lock. README.md ("Training from code") shows the
 * calls, and a test runs exactly those lines.
 *
 * <p>{@link #prepare} refuses the backend, the run directory or the data before Spark starts or
 * anything is written; {@link #sparkConf} adds what the run needs to the context's settings;
 * {@link #run} trains until the total step or until {@code stopRequested} turns true.
 */
public final class TrainingJob {
    private final JobConfig config;
    private final Checkpoints.Checkpoint checkpoint;
    private final String backend;
    private final RunDirectory run;
    private final RunAdmission admission;
    private final TrainingData data;
    private final TrainingLoop.Plan plan;
    private final TrainingStart start;
    private final StepReached reached = new StepReached();
    private volatile RunLock lock;

    /**
     * The checks of {@link #prepare}, cheapest first: this JVM, then the run directory (so that an
     * occupied one is refused before its data is read), then the data.
     */
    private TrainingJob(JobConfig config, Checkpoints.Checkpoint checkpoint, RunAdmission.Intent intent,
                        Configuration hadoop) throws IOException {
        this.config = config;
        this.checkpoint = checkpoint;
        this.backend = Backend.check(config);
        this.run = RunDirectory.at(config.out(), hadoop);
        this.admission = RunAdmission.check(run, intent);
        config.nativeKernels().require("the driver");
        // Read and validate the data before anything is written or Spark starts.
        this.data = TrainingData.read(config, hadoop);
        this.plan = config.plan(data.images().count(), data.images().pixelsPerImage());
        this.start = TrainingStart.of(checkpoint, plan);
    }

    /**
     * Checks everything that can be checked before Spark starts: this JVM's backend can train
     * {@code config}, the run directory may be trained into ({@code intent}), and the data is
     * readable and fits the config; then prints the config and the backend.
     *
     * @param checkpoint the checkpoint to continue from, or null to start from step 0
     */
    public static TrainingJob prepare(JobConfig config, Checkpoints.Checkpoint checkpoint, RunAdmission.Intent intent,
                                      Configuration hadoop) throws IOException {
        TrainingJob job = new TrainingJob(config, checkpoint, intent, hadoop);
        System.out.println(config.json().trim());
        System.err.println(job.backend);
        return job;
    }

    /** {@code conf} with what this run needs before its SparkContext starts; refuses a master it cannot run on. */
    public SparkConf sparkConf(SparkConf conf) {
        SparkSettings.pinBlasKernel(SparkSettings.forJob(conf), config.blasCoreType(), System.getenv());
        if (plan.synchronous()) {
            Segment.prepare(conf, config.workers());
        }
        return conf;
    }

    /**
     * Trains on {@code sc} under the run's lock until the total step, or until {@code stopRequested}
     * (asked between rounds) turns true. Nothing is written into the run before its lock is held,
     * the clean-up of unfinished writes included.
     */
    public TrainingResult run(JavaSparkContext sc, BooleanSupplier stopRequested) throws IOException {
        try (RunLock held = admission.own(sc.sc().applicationId(), config.lockTimeout());
             BroadcastPartitions<Shard> shards = Shards.distribute(sc, data.shards())) {
            lock = held;
            Map<String, Object> provenance = Provenance.of(config, plan, data, sc, checkpoint);
            String configJson = config.json();
            admission.prepare(configJson, Json.pretty(provenance));
            System.err.printf("training %d generator steps (%s) on %d workers, Adam rate %s, into %s%n",
                    plan.totalSteps() - start.state().generatorSteps(),
                    checkpoint == null ? "from scratch" : "from " + checkpoint.name(), config.workers(),
                    plan.config().learningRate(), run.root());
            List<TrainingListener> listeners = new ArrayList<>(RunOutputs.listeners(run, held, config, plan, data,
                    start.noise(), configJson, provenance));
            listeners.add(reached);
            shards.rdd().count();
            TrainingState end;
            try {
                end = new TrainingLoop(plan, listeners, stopRequested).run(sc, shards.rdd(), start.state());
            } catch (NonFiniteException e) {
                return result(reached.step, TrainingResult.StoppedBy.NON_FINITE, e.getMessage());
            }
            if (end.generatorSteps() < plan.totalSteps() && stopRequested.getAsBoolean()) {
                return result(end.generatorSteps(), TrainingResult.StoppedBy.STOP_REQUESTED, null);
            }
            System.err.println(doneReport(end));
            return result(end.generatorSteps(), TrainingResult.StoppedBy.COMPLETED, null);
        }
    }

    /**
     * Gives the run up at once, from another thread, without waiting for the round in flight:
     * whatever it was writing is a temporary file that the next resume removes; the lock is
     * released so that the resume need not wait. Says where the run stands.
     */
    public TrainingResult abandon() {
        RunLock held = lock;
        if (held != null) {
            try {
                held.release();
            } catch (IOException | RuntimeException e) {
                // Left behind, the lock names a process that has ended, which a resume on this host takes over.
            }
        }
        return result(reached.step, TrainingResult.StoppedBy.STOP_REQUESTED, null);
    }

    /** The run directory, as a resume names it. */
    public String runDirectory() {
        return run.root().toString();
    }

    private TrainingResult result(long step, TrainingResult.StoppedBy stoppedBy, String reason) {
        return new TrainingResult(step, plan.totalSteps(), latestCheckpoint(), stoppedBy, reason);
    }

    /** The newest complete checkpoint's path, or null when there is none. */
    private String latestCheckpoint() {
        try {
            String name = run.checkpoints().latestName();
            return name == null ? null : new Path(run.checkpoints().dir(), name).toString();
        } catch (IOException e) {
            return null;
        }
    }

    private String doneReport(TrainingState end) {
        return String.format(Locale.ROOT, "done: %d generator steps, epoch %.2f%n  samples:     %s/%n"
                        + "  progress:    %s/progress.gif%n  checkpoint:  %s/%s%n  metrics:     %s%n  page:        %s",
                end.generatorSteps(), plan.epoch(end.criticSteps()), run.samples(), run.samples(),
                run.checkpoints().dir(), Checkpoints.name(end.generatorSteps()), run.file(RunDirectory.METRICS),
                run.file(GalleryPage.NAME));
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
}
