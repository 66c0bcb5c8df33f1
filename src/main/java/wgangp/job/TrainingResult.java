package wgangp.job;

/**
 * How a {@link TrainingJob} ended.
 *
 * @param finalStep      the generator step of the last completed round
 * @param totalSteps     the step the run trains to
 * @param lastCheckpoint the newest complete checkpoint's path, or null when the run has none
 * @param stoppedBy      what ended it
 * @param reason         for {@link StoppedBy#NON_FINITE}, which value went NaN or infinite and when; else null
 */
public record TrainingResult(long finalStep, long totalSteps, String lastCheckpoint, StoppedBy stoppedBy,
                             String reason) {

    /** What ended a run. */
    public enum StoppedBy {
        /** It reached its total step. */
        COMPLETED,
        /** The stop hook asked it to stop; it did so after the round in flight, which was written. */
        STOP_REQUESTED,
        /** A loss or a weight went NaN or infinite; nothing of that round was written. */
        NON_FINITE
    }
}
