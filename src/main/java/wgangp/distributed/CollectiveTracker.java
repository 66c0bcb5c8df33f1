package wgangp.distributed;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.XGBoostJNI;

/**
 * The rendezvous of XGBoost's collective for one attempt of a barrier stage, on the driver as in
 * XGBoost4J-Spark: it listens on {@code host}, hands every task the ring's neighbours when all
 * {@code workers} have called in, and ends when all have shut down.
 *
 * <p>Through XGBoost's JNI rather than its {@code RabitTracker}, which always ranks workers by host
 * first: here ranks follow the task ids alone ({@link CollectiveGroup#taskId}), so rank r is Spark
 * partition r wherever the tasks run, and the ring adds the replicas' gradients in the same order
 * on every attempt.
 */
final class CollectiveTracker implements AutoCloseable {
    /** XGBoost's {@code Tracker::SortBy::kTask}. */
    private static final int SORT_BY_TASK = 1;

    private final long handle;

    private CollectiveTracker(long handle) {
        this.handle = handle;
    }

    /** A tracker for {@code workers} tasks, listening on {@code host} at a free port. */
    static CollectiveTracker start(String host, int workers, Duration timeout) {
        long[] out = new long[1];
        check(XGBoostJNI.TrackerCreate(host, workers, 0, SORT_BY_TASK, timeout.toSeconds(), out), "start a tracker");
        CollectiveTracker tracker = new CollectiveTracker(out[0]);
        try {
            check(XGBoostJNI.TrackerRun(tracker.handle), "run the tracker");
        } catch (IllegalStateException e) {
            tracker.close();
            throw e;
        }
        return tracker;
    }

    /** What a task needs to join: the tracker's address, as JSON text. */
    String workerArgs() {
        String[] out = new String[1];
        check(XGBoostJNI.TrackerWorkerArgs(handle, 0, out), "read the tracker's address");
        return out[0];
    }

    /** The arguments of {@link #workerArgs()} as the communicator takes them. */
    static Map<String, Object> parse(String workerArgs) {
        try {
            return new ObjectMapper().readValue(workerArgs, new TypeReference<Map<String, Object>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable collective tracker address: " + workerArgs, e);
        }
    }

    /**
     * Stops listening and frees the tracker. Its status is not checked: a tracker no attempt used,
     * or one whose attempt failed, reports the accept it was waiting in as failed.
     */
    @Override
    public void close() {
        XGBoostJNI.TrackerFree(handle);
    }

    static void check(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException("XGBoost collective: could not " + what + ": " + lastError());
        }
    }

    private static String lastError() {
        try {
            return XGBoostJNI.XGBGetLastError();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** Keeps the XGBoostError type out of callers that never see one: its checks throw on the JNI's codes. */
    static IllegalStateException wrap(XGBoostError e, String what) {
        return new IllegalStateException("XGBoost collective: could not " + what + ": " + e.getMessage(), e);
    }
}
