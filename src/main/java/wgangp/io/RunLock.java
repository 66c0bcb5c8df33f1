package wgangp.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * Which driver owns a run directory: the file {@link RunDirectory#LOCK} in it, created with
 * {@code create(path, overwrite=false)}, which is atomic on HDFS and on the local file system, so
 * of two drivers only one gets it. Its content, written once, names the owner: a token, the Spark
 * application id, host, pid, when the process and the ownership started, and the owner's timeout.
 *
 * <p>The heartbeat is the file's modification time, which a thread of the owner sets every quarter
 * of the timeout (at most every minute), independent of how long a round takes. Rewriting the
 * content instead would leave the file briefly absent (Hadoop's rename does not replace a file, see
 * {@link AtomicFiles}), and in that moment a second driver could create it.
 *
 * <p>A reader judges a lock by its owner's own timeout, so {@code browse} needs no configuration:
 * <ul>
 *   <li>{@link State#ENDED}: the owner ran on this host and its process is gone (or its pid now
 *       belongs to a process started later);</li>
 *   <li>{@link State#STALE}: no heartbeat for longer than the timeout (clocks of the hosts are
 *       assumed to agree to well within it);</li>
 *   <li>{@link State#LIVE}: otherwise.</li>
 * </ul>
 * A lock that is not live can be taken over: it is first renamed to a temporary name, which only
 * one of two drivers taking it over at once manages; the winner checks that what it renamed is the
 * lock it judged, then creates its own.
 *
 * <p>An owner that missed its heartbeats for the whole timeout while alive (a suspended process, a
 * driver cut off from the file system) may find its run taken over when it carries on. It checks
 * before each round's writes ({@link #requireOwned}) and stops heartbeating a lock that names
 * another owner; once {@link #lost} it writes nothing more. A takeover in the middle of one round's
 * writes is not caught.
 */
public final class RunLock implements AutoCloseable {
    /** How long a lock stays live without a heartbeat unless train says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);
    /** Below this a heartbeat (a file-system call) could not keep up reliably. */
    public static final Duration MIN_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration MAX_HEARTBEAT = Duration.ofMinutes(1);
    private static final Duration MIN_HEARTBEAT = Duration.ofMillis(500);
    /** A process's start time read twice may differ by the clock tick of /proc. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(1);
    private static final int TAKE_OVER_ATTEMPTS = 3;

    /** How a reader judges a lock. */
    public enum State { LIVE, STALE, ENDED }

    /**
     * Who holds a lock, as its file says.
     *
     * @param token         unique to one ownership, so that a release never deletes a successor's lock
     * @param processStart  when the owner's process started, to tell a reused pid from the owner; may be null
     */
    public record Owner(String token, String applicationId, String host, long pid, Instant processStart,
                        Instant startedAt, Duration timeout) {

        /** The owner in a few words, for messages: application, host, pid. */
        public String describe() {
            return "application " + applicationId + " on host " + host + " (pid " + pid + ")";
        }

        String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("token", token);
            m.put("application_id", applicationId);
            m.put("host", host);
            m.put("pid", pid);
            m.put("process_started_at", processStart == null ? null : processStart.toString());
            m.put("started_at", startedAt.toString());
            m.put("timeout_seconds", timeout.toMillis() / 1000.0);
            return Json.pretty(m);
        }

        /** The owner a lock file names, or null when its content is not one (a writer killed mid-write). */
        static Owner parse(String text, String source) {
            try {
                JsonNode n = Json.parse(text, source);
                JsonNode processStart = n.get("process_started_at");
                return new Owner(n.get("token").asText(), n.get("application_id").asText(), n.get("host").asText(),
                        n.get("pid").asLong(), processStart == null || processStart.isNull() ? null
                        : Instant.parse(processStart.asText()), Instant.parse(n.get("started_at").asText()),
                        Duration.ofMillis(Math.round(n.get("timeout_seconds").asDouble() * 1000)));
            } catch (IllegalArgumentException | NullPointerException | java.time.DateTimeException e) {
                return null;
            }
        }
    }

    /**
     * A lock as a reader sees it.
     *
     * @param owner    what the file says, or null when it cannot be read as an owner
     * @param lastSeen the last heartbeat: the file's modification time
     */
    public record Status(Owner owner, Instant lastSeen, State state) {
        public boolean live() {
            return state == State.LIVE;
        }

        /** The owner and when it was last seen, e.g. "application app-1 on host h (pid 7), last seen 4 s ago". */
        public String describe(Instant now) {
            String who = owner == null ? "an unreadable " + RunDirectory.LOCK : owner.describe();
            long ago = Math.max(0, Duration.between(lastSeen, now).toSeconds());
            return who + ", last seen " + ago + " s ago (" + lastSeen + ")";
        }

        /** Why a lock that is not live was left, for the take-over warning. */
        public String reason() {
            return switch (state) {
                case ENDED -> "its process has ended";
                case STALE -> "no heartbeat for longer than its timeout of "
                        + (owner == null ? DEFAULT_TIMEOUT : owner.timeout()).toSeconds() + " s";
                case LIVE -> "it is live";
            };
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final Owner owner;
    private final Status tookOver;
    private final ScheduledExecutorService heartbeat;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean lost = new AtomicBoolean();
    private final RunDirectory run;

    private RunLock(RunDirectory run, FileSystem fs, Path file, Owner owner, Status tookOver) {
        this.run = run;
        this.fs = fs;
        this.file = file;
        this.owner = owner;
        this.tookOver = tookOver;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "run-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long millis = heartbeatInterval(owner.timeout()).toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** How often the owner refreshes its heartbeat: a quarter of the timeout, between 0.5 s and 1 min. */
    static Duration heartbeatInterval(Duration timeout) {
        Duration quarter = timeout.dividedBy(4);
        return quarter.compareTo(MAX_HEARTBEAT) > 0 ? MAX_HEARTBEAT
                : quarter.compareTo(MIN_HEARTBEAT) < 0 ? MIN_HEARTBEAT : quarter;
    }

    /** The lock of {@code run} as it stands at {@code now}; empty when the run has none. */
    public static Optional<Status> read(RunDirectory run, Instant now) throws IOException {
        return read(run.fs(), run.file(RunDirectory.LOCK), now);
    }

    private static Optional<Status> read(FileSystem fs, Path file, Instant now) throws IOException {
        FileStatus status;
        String text;
        try {
            status = fs.getFileStatus(file);
            text = RunDirectory.readText(fs, file);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
        if (text == null) {
            return Optional.empty();
        }
        Owner owner = Owner.parse(text, file.toString());
        Instant lastSeen = Instant.ofEpochMilli(status.getModificationTime());
        State state;
        if (owner != null && owner.host().equals(localHost()) && !processAlive(owner.pid(), owner.processStart())) {
            state = State.ENDED;
        } else if (Duration.between(lastSeen, now).compareTo(owner == null ? DEFAULT_TIMEOUT : owner.timeout()) > 0) {
            state = State.STALE;
        } else {
            state = State.LIVE;
        }
        return Optional.of(new Status(owner, lastSeen, state));
    }

    /**
     * Takes {@code run} for this process, creating the directory if needed; a lock that is not
     * live is taken over ({@link #tookOver} says from whom). Only call this when taking over is
     * what the user asked for (a resume, an overwrite) or the run directory is new.
     *
     * @throws RunInUseException when a live driver owns the run
     */
    public static RunLock acquire(RunDirectory run, String applicationId, Duration timeout) throws IOException {
        if (timeout.compareTo(MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException("lock timeout " + timeout.toMillis() / 1000.0 + " s is shorter than "
                    + MIN_TIMEOUT.toSeconds() + " s");
        }
        FileSystem fs = run.fs();
        Path file = run.file(RunDirectory.LOCK);
        ProcessHandle self = ProcessHandle.current();
        Owner me = new Owner(UUID.randomUUID().toString(), applicationId, localHost(), self.pid(),
                self.info().startInstant().orElse(null), Instant.now(), timeout);
        Status previous = null;
        for (int attempt = 0; attempt < TAKE_OVER_ATTEMPTS; attempt++) {
            try {
                create(fs, file, me.toJson());
                return new RunLock(run, fs, file, me, previous);
            } catch (FileAlreadyExistsException e) {
                // Someone holds it, or held it; judge below.
            }
            Optional<Status> held = read(fs, file, Instant.now());
            if (held.isEmpty()) {
                continue;
            }
            if (held.get().live()) {
                throw new RunInUseException(run, held.get());
            }
            if (takeOver(fs, file, held.get(), run)) {
                previous = held.get();
            }
        }
        throw new IOException("could not take " + file + ": other drivers kept taking it; try again");
    }

    /** Renames the judged lock away; false when it was gone already. Fails if it was replaced meanwhile. */
    private static boolean takeOver(FileSystem fs, Path file, Status judged, RunDirectory run) throws IOException {
        Path aside = new Path(file.getParent(), AtomicFiles.TEMP_PREFIX + file.getName() + "-" + UUID.randomUUID());
        if (!fs.rename(file, aside)) {
            return false;
        }
        Owner renamed = Owner.parse(String.valueOf(RunDirectory.readText(fs, aside)), aside.toString());
        String judgedToken = judged.owner() == null ? null : judged.owner().token();
        String renamedToken = renamed == null ? null : renamed.token();
        if (!java.util.Objects.equals(judgedToken, renamedToken)) {
            // Another driver took the run between our read and our rename: give its lock back.
            fs.rename(aside, file);
            Status now = read(fs, file, Instant.now()).orElse(new Status(renamed, Instant.now(), State.LIVE));
            throw new RunInUseException(run, now);
        }
        fs.delete(aside, false);
        return true;
    }

    private static void create(FileSystem fs, Path file, String content) throws IOException {
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
            if (out.hasCapability(StreamCapabilities.HSYNC)) {
                out.hsync();
            }
        }
    }

    /** The lock this one replaced, if it took one over. */
    public Optional<Status> tookOver() {
        return Optional.ofNullable(tookOver);
    }

    public Owner owner() {
        return owner;
    }

    /**
     * Fails with {@link RunInUseException} (and marks the lock lost) when the lock file no longer
     * names this owner: another driver took the run over, or the file is gone.
     */
    public void requireOwned() throws IOException {
        if (lost.get()) {
            throw lostTo(read(fs, file, Instant.now()));
        }
        Optional<Status> now = read(fs, file, Instant.now());
        if (!ownedIn(now)) {
            lost.set(true);
            throw lostTo(now);
        }
    }

    /** Whether the lock was found lost (by {@link #requireOwned} or a heartbeat). */
    public boolean lost() {
        return lost.get();
    }

    private boolean ownedIn(Optional<Status> status) {
        return status.isPresent() && status.get().owner() != null && status.get().owner().token().equals(owner.token());
    }

    private RunInUseException lostTo(Optional<Status> now) {
        return RunInUseException.lost(run, now.orElse(null));
    }

    /** Refreshes the heartbeat of this owner's lock; stops for good once the file names another owner. */
    void beat() {
        if (lost.get()) {
            return;
        }
        try {
            if (!ownedIn(read(fs, file, Instant.now()))) {
                lost.set(true);
                heartbeat.shutdown();
                return;
            }
            fs.setTimes(file, System.currentTimeMillis(), -1);
        } catch (IOException | RuntimeException e) {
            // The next beat tries again; a lock that misses beats for the whole timeout becomes stale.
            System.err.println("warning: heartbeat of " + file + " failed: " + e.getMessage());
        }
    }

    /**
     * Stops the heartbeat and deletes the lock if it is still this owner's (a driver that lost it
     * to a take-over leaves its successor's alone). Safe to call twice and from another thread.
     */
    public void release() throws IOException {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        heartbeat.shutdownNow();
        String text;
        try {
            text = RunDirectory.readText(fs, file);
        } catch (FileNotFoundException e) {
            return;
        }
        Owner current = text == null ? null : Owner.parse(text, file.toString());
        if (current != null && current.token().equals(owner.token())) {
            fs.delete(file, false);
        }
    }

    @Override
    public void close() throws IOException {
        release();
    }

    /** This host's name, as owners record it. */
    static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown-host" : env;
        }
    }

    /** Whether {@code pid} on this host is still the process that started at {@code start} (null: any). */
    static boolean processAlive(long pid, Instant start) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if (start == null) {
            return true;
        }
        return handle.get().info().startInstant()
                .map(s -> Duration.between(start, s).abs().compareTo(START_TOLERANCE) <= 0).orElse(true);
    }
}
