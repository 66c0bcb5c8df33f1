package wgangp.io;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/**
 * Whether a driver may train into a run directory, and the directory made ready once it may: the
 * refusals come before anything is written or Spark starts, the writes only once the run's
 * {@link RunLock} is held.
 */
public final class RunAdmission {
    /** What to do with a run directory that already holds something. */
    public enum Intent {
        /** Refuse it: only an absent or empty directory starts a new run. */
        NEW,
        /** Continue the run in it. */
        RESUME,
        /** Replace the run in it (a directory that does not look like a run is still refused). */
        OVERWRITE
    }

    private final RunDirectory run;
    private final Intent intent;

    private RunAdmission(RunDirectory run, Intent intent) {
        this.run = run;
        this.intent = intent;
    }

    /**
     * Admits {@code run} for {@code intent}, or refuses it with a {@link RunRefusedException}: a
     * live driver owns it ({@link RunInUseException}), or it holds something that {@code intent}
     * may not replace.
     */
    public static RunAdmission check(RunDirectory run, Intent intent) throws IOException {
        Optional<RunLock.Status> owner = RunLock.read(run, Instant.now());
        if (owner.isPresent() && owner.get().live()) {
            throw new RunInUseException(run, owner.get());
        }
        if (intent == Intent.NEW && run.existsNonEmpty()) {
            throw new RunRefusedException("run directory " + run.root() + " already exists and is not empty; pass"
                    + " --resume to continue it, --overwrite to replace it, or choose another --out");
        }
        if (intent == Intent.OVERWRITE && run.existsNonEmpty() && !run.looksLikeRun()) {
            throw new RunRefusedException("--overwrite refused: " + run.root() + " holds files but no config.json or"
                    + " checkpoints/, so it does not look like a run directory; delete it yourself if it is one");
        }
        return new RunAdmission(run, intent);
    }

    /** Takes the run directory for this driver; says whose lock it took over, if any. */
    public RunLock own(String applicationId, Duration timeout) throws IOException {
        RunLock lock = RunLock.acquire(run, applicationId, timeout);
        lock.tookOver().ifPresent(old -> System.err.println("warning: taking over " + run.root() + " from "
                + old.describe(Instant.now()) + ": " + old.reason()));
        return lock;
    }

    /**
     * With the lock held: clears the directory (when overwriting) or tidies what an interrupted
     * driver left, and writes the run's config and provenance.
     */
    public void prepare(String configJson, String provenanceJson) throws IOException {
        run.prepare(intent == Intent.OVERWRITE);
        for (Path p : run.removeUnfinishedWrites()) {
            System.err.println("removed " + p + ", left unfinished by an interrupted run");
        }
        run.writeText(RunDirectory.CONFIG, configJson);
        run.writeText(RunDirectory.PROVENANCE, provenanceJson);
    }
}
