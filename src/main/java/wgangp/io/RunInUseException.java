package wgangp.io;

import java.io.IOException;
import java.time.Instant;

/** A train refused because another driver, still live, owns the run directory ({@link RunLock}). */
public class RunInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    public RunInUseException(RunDirectory run, RunLock.Status owner) {
        super("run directory " + run.root() + " is in use by " + owner.describe(Instant.now())
                + "; let that driver finish or stop it first, then --resume");
    }
}
