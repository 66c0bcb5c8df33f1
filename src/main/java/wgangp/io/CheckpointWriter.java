package wgangp.io;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import wgangp.train.TrainingState;

/**
 * Writes a checkpoint every {@code checkpointInterval} generator steps, at the end (see
 * {@link PeriodicOutput}), and where training was stopped early (so that a resumed run loses
 * nothing), then prunes old ones. Each carries the effective config and the run's provenance with
 * the step it was taken at.
 */
public final class CheckpointWriter extends PeriodicOutput {
    private final Checkpoints checkpoints;
    private final float[] sampleNoise;
    private final int latent;
    private final String configJson;
    private final Map<String, Object> provenance;
    private final int keep;
    private final SampleGrids.EpochClock epochs;

    public CheckpointWriter(Checkpoints checkpoints, float[] sampleNoise, int latent, String configJson,
                            Map<String, Object> provenance, int checkpointInterval, int keep,
                            SampleGrids.EpochClock epochs) {
        super(checkpointInterval);
        this.checkpoints = checkpoints;
        this.sampleNoise = sampleNoise.clone();
        this.latent = latent;
        this.configJson = configJson;
        this.provenance = new LinkedHashMap<>(provenance);
        this.keep = keep;
        this.epochs = epochs;
    }

    @Override
    boolean exists(TrainingState state) throws IOException {
        return checkpoints.tryLoad(Checkpoints.name(state.generatorSteps())).isPresent();
    }

    @Override
    public void onStop(TrainingState state) throws IOException {
        // A stopped run's state is at a round boundary, where a resumed run continues exactly as an
        // uninterrupted one would.
        writeIfNew(state);
    }

    /** Writes a checkpoint of {@code state} and prunes the oldest beyond {@code keep}. */
    @Override
    void write(TrainingState state) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.put("step", state.generatorSteps());
        p.put("critic_iters", state.criticSteps());
        p.put("epoch", epochs.epoch(state.criticSteps()));
        p.put("written_at", java.time.Instant.now().toString());
        checkpoints.write(state, sampleNoise, latent, configJson, Json.pretty(p));
        checkpoints.prune(keep);
    }
}
