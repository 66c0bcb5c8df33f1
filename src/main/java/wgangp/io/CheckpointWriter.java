package wgangp.io;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import wgangp.distributed.RoundReport;
import wgangp.distributed.TrainingListener;
import wgangp.train.TrainingState;

/**
 * Writes a checkpoint every {@code checkpointInterval} generator steps (after the first round that
 * reaches a multiple of it), at the end, and where training was stopped early (so that a resumed
 * run loses nothing), then prunes old ones. Each carries the effective
 * config and the run's provenance with the step it was taken at.
 */
public final class CheckpointWriter implements TrainingListener {
    private final Checkpoints checkpoints;
    private final float[] sampleNoise;
    private final int latent;
    private final String configJson;
    private final Map<String, Object> provenance;
    private final int interval;
    private final int keep;
    private final SampleGrids.EpochClock epochs;
    private long lastWritten = -1;

    public CheckpointWriter(Checkpoints checkpoints, float[] sampleNoise, int latent, String configJson,
                            Map<String, Object> provenance, int checkpointInterval, int keep,
                            SampleGrids.EpochClock epochs) {
        this.checkpoints = checkpoints;
        this.sampleNoise = sampleNoise.clone();
        this.latent = latent;
        this.configJson = configJson;
        this.provenance = new LinkedHashMap<>(provenance);
        this.interval = checkpointInterval;
        this.keep = keep;
        this.epochs = epochs;
    }

    @Override
    public void onStart(TrainingState state, long totalSteps) {
        lastWritten = state.generatorSteps();
    }

    @Override
    public void onRound(RoundReport r) throws IOException {
        if (r.crossedMultipleOf(interval)) {
            write(r.state());
        }
    }

    @Override
    public void onEnd(TrainingState state) throws IOException {
        if (state.generatorSteps() != lastWritten
                || checkpoints.tryLoad(Checkpoints.name(state.generatorSteps())).isEmpty()) {
            write(state);
        }
    }

    /**
     * The state of a stopped run is at a round boundary, where a resumed run continues exactly as
     * an uninterrupted one would.
     */
    @Override
    public void onStop(TrainingState state) throws IOException {
        if (state.generatorSteps() != lastWritten) {
            write(state);
        }
    }

    /** Writes a checkpoint of {@code state}; returns its name. */
    public String write(TrainingState state) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.put("step", state.generatorSteps());
        p.put("critic_iters", state.criticSteps());
        p.put("epoch", epochs.epoch(state.criticSteps()));
        p.put("written_at", java.time.Instant.now().toString());
        String name = checkpoints.write(state, sampleNoise, latent, configJson, Json.pretty(p));
        lastWritten = state.generatorSteps();
        checkpoints.prune(keep);
        return name;
    }
}
