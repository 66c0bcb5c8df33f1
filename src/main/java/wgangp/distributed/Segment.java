package wgangp.distributed;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import wgangp.data.Shard;
import wgangp.train.BlasKernel;
import wgangp.train.GradientNoise;
import wgangp.train.LossSums;
import wgangp.train.NativeKernels;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;

/**
 * One segment of synchronous training, from one of the driver's output points to the next: a
 * single Spark barrier stage in which every partition's task trains its replica for the segment's
 * generator steps, the tasks adding their gradients with an allreduce at every critic and
 * generator update ({@link SegmentTask}). The replicas stay identical, so the driver takes rank 0's
 * state as it is: nothing is averaged. A failed task fails the stage, and the driver runs all of
 * its tasks again from the same broadcast start state, which gives the same bytes.
 */
public final class Segment {
    /** How long a tracker waits for the tasks of its attempt. */
    private static final Duration TRACKER_TIMEOUT = Duration.ofMinutes(10);

    private Segment() {
    }

    /** The driver's IP address, where the executors reach its trackers. */
    private static String trackerHost(SparkConf conf) {
        String host = conf.get("spark.driver.host", "localhost");
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve spark.driver.host=" + host + " for the collective's tracker",
                    e);
        }
    }

    public static Round.Result run(JavaSparkContext sc, JavaRDD<Shard> shards, WganGpConfig config,
                                   TrainingState start, long seed, int generatorSteps, int workers,
                                   NativeKernels kernels, boolean batchNormSync) {
        long t0 = System.nanoTime();
        Broadcast<TrainingState> state = sc.broadcast(start.forReplicas());
        long serialiseNanos = System.nanoTime() - t0;
        long submitMillis = System.currentTimeMillis();
        List<SegmentResult> results;
        try {
            results = attempts(sc, shards, state, config, start.generatorSteps(), seed, generatorSteps, workers,
                    kernels, batchNormSync);
        } finally {
            state.destroy();
        }
        if (results.size() != workers) {
            throw new IllegalStateException("segment at step " + start.generatorSteps() + " returned "
                    + results.size() + " replicas, expected " + workers);
        }
        TrainingState end = null;
        LossSums losses = LossSums.ZERO;
        GradientNoise noise = GradientNoise.NONE;
        SegmentResult last = null;
        for (SegmentResult r : results) {
            if (r.rank() == 0) {
                end = r.state();
                noise = r.noise();
            }
            losses = losses.plus(r.losses());
            if (last == null || r.times().finishMillis() > last.times().finishMillis()) {
                last = r;
            }
        }
        if (end == null) {
            throw new IllegalStateException("segment at step " + start.generatorSteps() + " returned no state from rank 0");
        }
        long roundNanos = System.nanoTime() - t0;
        double seconds = roundNanos / 1e9;
        double sync = Math.max(0, seconds - last.times().computeNanos() / 1e9 + last.allreduce().seconds());
        RoundPhases phases = RoundPhases.of(roundNanos, serialiseNanos, submitMillis, last.times(),
                last.times().host().equals(ReplicaTask.hostName()), 0, 0, 0);
        return new Round.Result(end, losses, seconds, sync, phases, last.allreduce(), noise);
    }

    /**
     * The segment's barrier stage, run again from the same broadcast start state when it fails:
     * Spark re-runs a failed barrier stage only when its output goes to a shuffle, not when it
     * returns to the driver. Up to {@code spark.stage.maxConsecutiveAttempts} attempts (Spark's own
     * limit for a stage), each with a tracker of its own, so that a retry never meets the failed
     * attempt's half-finished collective. Settings to fix fail at once.
     */
    private static List<SegmentResult> attempts(JavaSparkContext sc, JavaRDD<Shard> shards,
                                                Broadcast<TrainingState> state, WganGpConfig config, long round,
                                                long seed, int generatorSteps, int workers, NativeKernels kernels,
                                                boolean batchNormSync) {
        String host = trackerHost(sc.getConf());
        int attempts = Math.max(1, sc.getConf().getInt("spark.stage.maxConsecutiveAttempts", 4));
        ClassTag<SegmentResult> tag = ClassTag$.MODULE$.apply(SegmentResult.class);
        for (int attempt = 1; ; attempt++) {
            try (CollectiveTracker tracker = CollectiveTracker.start(host, workers, TRACKER_TIMEOUT)) {
                SegmentTask task = new SegmentTask(config, state, seed, round, generatorSteps, kernels,
                        batchNormSync, tracker.workerArgs());
                return new JavaRDD<>(shards.rdd().barrier().mapPartitions(task, false, tag), tag).collect();
            } catch (Exception e) {
                // Spark's SparkException is checked but thrown undeclared: catch every kind.
                Optional<BlasKernel.KernelMismatchException> mismatch = BlasKernel.KernelMismatchException.reportedIn(e);
                if (mismatch.isPresent()) {
                    throw mismatch.get();
                }
                Optional<IllegalArgumentException> refusal = BarrierRefusal.reportedIn(e, workers, sc.getConf());
                if (refusal.isPresent()) {
                    throw refusal.get();
                }
                if (attempt >= attempts) {
                    throw e;
                }
                System.err.println("warning: the segment at step " + round + " failed (" + firstLine(e)
                        + "); running it again from its start, attempt " + (attempt + 1) + " of " + attempts);
            }
        }
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /**
     * Readies a SparkConf for synchronous segments, before the SparkContext starts: refuses what
     * cannot run a barrier stage of {@code workers} tasks (dynamic allocation; a local master with
     * fewer threads) with one line that says what to change, and bounds how long Spark waits for
     * enough executors to register (a minute, checked each second, instead of ten) before the
     * first segment fails with such a line.
     */
    public static void prepare(SparkConf conf, int workers) {
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            throw new IllegalArgumentException(BarrierRefusal.dynamicAllocationRefusal());
        }
        String master = conf.get("spark.master", "");
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?])?")
                .matcher(master);
        if (local.matches()) {
            String threads = local.group(1);
            int slots = threads == null ? 1 : threads.equals("*") ? Runtime.getRuntime().availableProcessors()
                    : Integer.parseInt(threads);
            if (slots < workers) {
                throw new IllegalArgumentException("parallelism=synchronous runs all " + workers + " workers at once,"
                        + " but --master " + master + " runs " + slots + " task" + (slots == 1 ? "" : "s")
                        + " at a time: use local[" + workers + "], lower --workers, or set parallelism=averaging");
            }
        }
        conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s");
        conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "60");
    }

    /** Spark's refusals of a barrier stage, as one line that says what to change. */
    static final class BarrierRefusal {
        private BarrierRefusal() {
        }

        /** As a bad setting (exit code 2): the cluster or the configuration must change, not the code. */
        static Optional<IllegalArgumentException> reportedIn(Throwable e, int workers, SparkConf conf) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                String message = String.valueOf(t.getMessage());
                if (message.contains("requires more slots than the total number of slots")) {
                    return Optional.of(new IllegalArgumentException("parallelism=synchronous runs all " + workers
                            + " workers at once in one barrier stage, but the cluster offers fewer task slots ("
                            + "master " + conf.get("spark.master", "?") + "): give it " + workers + " (executors x"
                            + " spark.executor.cores / spark.task.cpus, or local[" + workers + "]), lower --workers,"
                            + " or set parallelism=averaging"));
                }
                if (message.contains("does not support dynamic resource allocation")) {
                    return Optional.of(new IllegalArgumentException(dynamicAllocationRefusal()));
                }
            }
            return Optional.empty();
        }

        static String dynamicAllocationRefusal() {
            return "parallelism=synchronous runs all workers at once in one barrier stage, which Spark refuses"
                    + " under dynamic allocation: set spark.dynamicAllocation.enabled=false or parallelism=averaging";
        }
    }
}
