package wgangp.io;

import java.time.Instant;

/** A train refused because another driver, still live, owns the run directory ({@link RunLock}). */
public class RunInUseException extends RunRefusedException {
    private static final long serialVersionUID = 1L;

    public RunInUseException(RunDirectory run, RunLock.Status owner) {
        super("run directory " + run.root() + " is in use by " + owner.describe(Instant.now())
                + "; let that driver finish or stop it first, then --resume");
    }

    private RunInUseException(String message) {
        super(message);
    }

    /**
     * This driver lost {@code run} to {@code now} (null: the lock file is gone) after missing its
     * heartbeats for the whole timeout; it stops without writing more.
     */
    static RunInUseException lost(RunDirectory run, RunLock.Status now) {
        return new RunInUseException("lost run directory " + run.root() + " to "
                + (now == null || now.owner() == null ? "another driver (its lock file is gone)"
                        : now.describe(Instant.now()))
                + " while this driver missed its heartbeats (suspended or cut off); stopped without writing more,"
                + " the run is that driver's now");
    }
}
