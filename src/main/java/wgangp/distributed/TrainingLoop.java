package wgangp.distributed;

import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import wgangp.data.Shard;
import wgangp.train.LossSums;
import wgangp.train.NativeKernels;
import wgangp.train.OuterOptimizer;
import wgangp.train.RoundSchedule;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;

/**
 * The driver's loop: rounds of {@link Plan#roundSteps()} generator steps (aligned to multiples
 * of it, see {@link RoundSchedule}), each a {@link Segment} of synchronous training or a
 * {@link Round} of parameter averaging, until {@code totalSteps}, a finiteness check after each,
 * then the listeners. A stop asked for is honoured between rounds: the round in flight finishes and
 * its listeners run, then {@link TrainingListener#onStop} instead of {@code onEnd}. Nothing else
 * happens here.
 */
public final class TrainingLoop {

    /**
     * What the loop needs to know besides the model.
     *
     * @param parallelism   how more than one worker trains together
     * @param averagingFrequency generator steps per round of parameter averaging
     * @param segmentSteps  generator steps per synchronous segment (barrier stage)
     * @param batchNormSync whether synchronous replicas normalize their slices of a batch together
     * @param outer         the driver's step after each round's mean (parameter averaging)
     * @param kernels       the native kernels every task must compute with ({@link NativeKernels})
     */
    public record Plan(WganGpConfig config, int workers, Parallelism parallelism, int averagingFrequency,
                       int segmentSteps, boolean batchNormSync, OuterOptimizer outer, long seed, long totalSteps,
                       long datasetSize, NativeKernels kernels) {
        public Plan {
            if (workers < 1 || averagingFrequency < 1 || segmentSteps < 1 || totalSteps < 0 || datasetSize < 1) {
                throw new IllegalArgumentException("invalid plan: workers=" + workers + ", averagingFrequency="
                        + averagingFrequency + ", segmentSteps=" + segmentSteps + ", totalSteps=" + totalSteps
                        + ", datasetSize=" + datasetSize);
            }
        }

        /**
         * Whether the replicas add their gradients every step: more than one worker under
         * {@link Parallelism#SYNCHRONOUS}. One worker trains in rounds of the averaging frequency
         * under either mode, exactly as before the mode existed.
         */
        public boolean synchronous() {
            return workers > 1 && parallelism == Parallelism.SYNCHRONOUS;
        }

        /** Generator steps between the driver's outputs: a segment's or an averaging round's. */
        public int roundSteps() {
            return synchronous() ? segmentSteps : averagingFrequency;
        }

        public double epoch(long criticIters) {
            return RoundSchedule.epoch(criticIters, config.batch(), workers, datasetSize);
        }
    }

    private final Plan plan;
    private final List<TrainingListener> listeners;
    private final BooleanSupplier stopRequested;

    /** {@code stopRequested} is asked before each round; once true, no further round starts. */
    public TrainingLoop(Plan plan, List<TrainingListener> listeners, BooleanSupplier stopRequested) {
        this.plan = plan;
        this.listeners = List.copyOf(listeners);
        this.stopRequested = stopRequested;
    }

    /**
     * Trains from {@code start} on the shards (one partition each) and returns the final averaged
     * state: at {@code totalSteps}, or earlier when a stop was asked for.
     */
    public TrainingState run(JavaSparkContext sc, JavaRDD<Shard> shards, TrainingState start) throws IOException {
        TrainingState end;
        try {
            for (TrainingListener l : listeners) {
                l.onStart(start, plan.totalSteps());
            }
            TrainingState state = start;
            boolean stopped = false;
            int steps;
            while ((steps = RoundSchedule.roundLength(state.generatorSteps(), plan.totalSteps(),
                    plan.roundSteps())) > 0) {
                if (stopRequested.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                Round.Result r = plan.synchronous()
                        ? Segment.run(sc, shards, plan.config(), state, plan.seed(), steps, plan.workers(),
                                plan.kernels(), plan.batchNormSync())
                        : Round.run(sc, shards, plan.config(), plan.outer(), state, plan.seed(), steps,
                                plan.workers(), plan.kernels());
                TrainingState next = r.averaged();
                String bad = r.losses().firstNonFinite();
                if (bad == null) {
                    bad = next.firstNonFinite();
                }
                if (bad != null) {
                    throw new NonFiniteException(next.generatorSteps(), bad);
                }
                state = next;
                RoundReport report = report(r, steps, state);
                for (TrainingListener l : listeners) {
                    l.onRound(report);
                }
            }
            for (TrainingListener l : listeners) {
                if (stopped) {
                    l.onStop(state);
                } else {
                    l.onEnd(state);
                }
            }
            end = state;
        } catch (RuntimeException | IOException | Error e) {
            try {
                closeAll();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        closeAll();
        return end;
    }

    private RoundReport report(Round.Result r, int steps, TrainingState state) {
        LossSums mean = r.losses().mean();
        double images = (double) steps * plan.config().nCritic() * plan.config().batch() * plan.workers();
        return new RoundReport(state.generatorSteps(), state.criticSteps(), plan.epoch(state.criticSteps()), steps,
                mean, images / r.seconds(), r.seconds(), r.syncSeconds(), r.phases(), state,
                state.generatorSteps() >= plan.totalSteps(), r.allreduce(), r.noise());
    }

    private void closeAll() throws IOException {
        IOException first = null;
        for (TrainingListener l : listeners) {
            try {
                l.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
