package wgangp.job;

import wgangp.distributed.TrainingLoop;
import wgangp.io.Checkpoints;
import wgangp.io.SampleGrids;
import wgangp.train.RoundSchedule;
import wgangp.train.SampleNoise;
import wgangp.train.TrainingState;
import wgangp.train.WganGpStep;

/** Where training starts: a checkpoint's state and sample noise, or step 0 from the seed. */
record TrainingStart(TrainingState state, float[] noise) {

    /** From {@code checkpoint}, or from the plan's seed when it is null. */
    static TrainingStart of(Checkpoints.Checkpoint checkpoint, TrainingLoop.Plan plan) {
        int latent = plan.config().generator().latentSize();
        if (checkpoint == null) {
            return new TrainingStart(WganGpStep.initialState(plan.config(), plan.seed()),
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
        return new TrainingStart(checkpoint.state(), checkpoint.sampleNoise());
    }
}
