package wgangp.io;

/**
 * A checkpoint as a listing shows it, without loading it: the counters from its state file's
 * header, and whether it is complete by the rule of {@link Checkpoints}, as far as the files' sizes
 * tell (the SHA-256 digests are checked only when a checkpoint is loaded, which reads every byte).
 *
 * @param bytes   the size of its files together; 0 when it is not complete
 * @param problem why it is not complete, or null when it is
 */
public record CheckpointSummary(String name, long generatorSteps, long criticIters, long bytes, String problem) {

    public boolean complete() {
        return problem == null;
    }
}
