package wgangp.distributed;

import wgangp.train.GradientNoise;
import wgangp.train.LossSums;
import wgangp.train.TrainingState;

/**
 * What the driver knows after a round, for listeners.
 *
 * @param generatorSteps  generator steps per replica so far (the run's step counter)
 * @param criticIters     critic iterations per replica so far
 * @param epoch           images seen by all critics so far / dataset size
 * @param roundSteps      generator steps in this round
 * @param meanLosses      losses averaged over the round's steps and replicas
 * @param imagesPerSecond real images consumed by all critics per second of round wall time
 * @param roundSeconds    wall time of the round
 * @param syncSeconds     part of the round spent outside the slowest partition's compute
 * @param phases          the round's wall time by phase
 * @param state           the averaged state after the round
 * @param last            whether this is the run's final round
 * @param allreduce       what the slowest replica's allreduce calls cost (synchronous rounds; else none)
 * @param noise           the gradient noise scale's estimates over the round (synchronous rounds)
 */
public record RoundReport(long generatorSteps, long criticIters, double epoch, int roundSteps, LossSums meanLosses,
                          double imagesPerSecond, double roundSeconds, double syncSeconds, RoundPhases phases,
                          TrainingState state, boolean last, AllreduceTimes allreduce, GradientNoise noise) {

    /** Whether this round passed a multiple of {@code interval} generator steps: time for a periodic output. */
    public boolean crossedMultipleOf(int interval) {
        return generatorSteps / interval > (generatorSteps - roundSteps) / interval;
    }
}
