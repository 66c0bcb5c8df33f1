package wgangp.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import wgangp.distributed.GuardedListeners;
import wgangp.distributed.TrainingListener;
import wgangp.distributed.TrainingLoop;
import wgangp.io.CheckpointWriter;
import wgangp.io.ConsoleProgress;
import wgangp.io.GalleryWriter;
import wgangp.io.MetricsLog;
import wgangp.io.RunDirectory;
import wgangp.io.RunLock;
import wgangp.io.SampleGrids;

/**
 * What the driver writes into a run as training goes, as listeners of the loop (the metrics of a
 * checkpoint's rounds are flushed before it): the run's writers, each silenced once the lock is
 * lost, behind a check of the lock before each round's writes; then the console's progress.
 */
final class RunOutputs {
    private RunOutputs() {
    }

    static List<TrainingListener> listeners(RunDirectory run, RunLock lock, JobConfig config, TrainingLoop.Plan plan,
                                            TrainingData data, float[] noise, String configJson,
                                            Map<String, Object> provenance) {
        List<TrainingListener> writers = List.of(
                new MetricsLog(run.fs(), run.file(RunDirectory.METRICS), 10_000, config.checkpointInterval()),
                new SampleGrids(run.fs(), run.samples(), plan.config(), noise, data.images().rows(),
                        data.images().cols(), config.sampleInterval(), plan::epoch),
                new CheckpointWriter(run.checkpoints(), noise, plan.config().generator().latentSize(), configJson,
                        provenance, config.checkpointInterval(), config.keepCheckpoints(), plan::epoch),
                new GalleryWriter(run.fs(), run.root(), config.sampleInterval(), 60_000));
        List<TrainingListener> listeners = new ArrayList<>(
                GuardedListeners.of(lock::requireOwned, lock::lost, writers));
        listeners.add(new ConsoleProgress(30_000));
        return listeners;
    }
}
