package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.distributed.GuardedListeners;
import wgangp.distributed.TrainingListener;
import wgangp.train.TrainingState;

/** Run ownership on the local file system: who holds a run, when a lock is live, stale or ended, and take-over. */
class RunLockTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path tmp;
    RunDirectory run;
    Path lockFile;

    @BeforeEach
    void runDirectory() throws IOException {
        run = RunDirectory.at(tmp.resolve("run").toString(), new Configuration());
        lockFile = tmp.resolve("run").resolve(RunDirectory.LOCK);
    }

    @Test
    void oneOwnerAtATimeAndReleaseFreesTheRun() throws IOException {
        assertTrue(RunLock.read(run, Instant.now()).isEmpty());
        try (RunLock lock = RunLock.acquire(run, "app-first", MINUTE)) {
            assertTrue(lock.tookOver().isEmpty());
            RunLock.Status status = RunLock.read(run, Instant.now()).orElseThrow();
            assertEquals(RunLock.State.LIVE, status.state());
            assertEquals(lock.owner(), status.owner());
            assertEquals(ProcessHandle.current().pid(), status.owner().pid());
            assertEquals("app-first", status.owner().applicationId());

            RunInUseException refused = assertThrows(RunInUseException.class,
                    () -> RunLock.acquire(run, "app-second", MINUTE));
            assertTrue(refused.getMessage().contains("is in use by application app-first on host "
                    + RunLock.localHost() + " (pid " + ProcessHandle.current().pid() + "), last seen "),
                    refused.getMessage());
            assertEquals(lock.owner(), RunLock.read(run, Instant.now()).orElseThrow().owner(), "the refusal took nothing");
        }
        assertFalse(Files.exists(lockFile), "released");
        try (RunLock again = RunLock.acquire(run, "app-second", MINUTE)) {
            assertTrue(again.tookOver().isEmpty(), "a released run is free, not taken over");
            again.release();
            again.release();
        }
    }

    @Test
    void theHeartbeatKeepsTheLockFresh() throws Exception {
        try (RunLock lock = RunLock.acquire(run, "app-beat", Duration.ofSeconds(2))) {
            // Age the heartbeat past the timeout; the next beat (every 0.5 s) must bring it back.
            run.fs().setTimes(run.file(RunDirectory.LOCK), System.currentTimeMillis() - 60_000, -1);
            assertEquals(RunLock.State.STALE, RunLock.read(run, Instant.now()).orElseThrow().state());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (RunLock.read(run, Instant.now()).orElseThrow().state() != RunLock.State.LIVE) {
                assertTrue(System.nanoTime() < deadline, "no heartbeat within 5 s");
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aStaleLockOfAnotherHostIsTakenOverAndAFreshOneIsNot() throws IOException {
        RunLock.Owner elsewhere = new RunLock.Owner(UUID.randomUUID().toString(), "app-elsewhere", "elsewhere.example",
                1, Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:01Z"), Duration.ofMinutes(3));
        writeLock(elsewhere.toJson(), Instant.now().minusSeconds(60));
        RunLock.Status fresh = RunLock.read(run, Instant.now()).orElseThrow();
        assertEquals(RunLock.State.LIVE, fresh.state(), "another host's pid is not ours to check; 60 s < 3 min");
        RunInUseException refused = assertThrows(RunInUseException.class, () -> RunLock.acquire(run, "app", MINUTE));
        assertTrue(refused.getMessage().contains("application app-elsewhere on host elsewhere.example (pid 1),"
                + " last seen 6"), refused.getMessage());

        writeLock(elsewhere.toJson(), Instant.now().minusSeconds(181));
        assertEquals(RunLock.State.STALE, RunLock.read(run, Instant.now()).orElseThrow().state());
        try (RunLock lock = RunLock.acquire(run, "app-new", MINUTE)) {
            RunLock.Status old = lock.tookOver().orElseThrow();
            assertEquals(elsewhere, old.owner());
            assertTrue(old.reason().contains("no heartbeat for longer than its timeout of 180 s"), old.reason());
            assertEquals("app-new", RunLock.read(run, Instant.now()).orElseThrow().owner().applicationId());
            assertEquals(List.of(RunDirectory.LOCK), names(), "the old lock, renamed aside, is gone");
        }
    }

    @Test
    void aLockWhoseProcessHasEndedIsTakenOverAtOnce() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        RunLock.Owner gone = new RunLock.Owner(UUID.randomUUID().toString(), "app-gone", RunLock.localHost(),
                ended.pid(), null, Instant.now(), Duration.ofMinutes(3));
        writeLock(gone.toJson(), Instant.now());
        assertEquals(RunLock.State.ENDED, RunLock.read(run, Instant.now()).orElseThrow().state());

        // Our own pid, but recorded for a process that started an hour before this one: a reused pid.
        RunLock.Owner reused = new RunLock.Owner(UUID.randomUUID().toString(), "app-reused", RunLock.localHost(),
                ProcessHandle.current().pid(), ProcessHandle.current().info().startInstant().orElseThrow()
                .minusSeconds(3600), Instant.now(), Duration.ofMinutes(3));
        writeLock(reused.toJson(), Instant.now());
        assertEquals(RunLock.State.ENDED, RunLock.read(run, Instant.now()).orElseThrow().state());
        try (RunLock lock = RunLock.acquire(run, "app-new", MINUTE)) {
            assertEquals("its process has ended", lock.tookOver().orElseThrow().reason());
        }
    }

    @Test
    void anUnreadableLockIsJudgedByItsAgeAlone() throws IOException {
        writeLock("{\"token\": ", Instant.now());
        RunLock.Status torn = RunLock.read(run, Instant.now()).orElseThrow();
        assertEquals(RunLock.State.LIVE, torn.state());
        assertTrue(torn.describe(Instant.now()).startsWith("an unreadable driver.lock, last seen"));
        writeLock("", Instant.now().minus(RunLock.DEFAULT_TIMEOUT).minusSeconds(1));
        assertEquals(RunLock.State.STALE, RunLock.read(run, Instant.now()).orElseThrow().state());
        try (RunLock lock = RunLock.acquire(run, "app-new", MINUTE)) {
            assertTrue(lock.tookOver().isPresent());
        }
    }

    @Test
    void releaseLeavesASuccessorsLockAlone() throws IOException {
        RunLock lock = RunLock.acquire(run, "app-old", MINUTE);
        RunLock.Owner successor = new RunLock.Owner(UUID.randomUUID().toString(), "app-successor", "elsewhere.example",
                2, null, Instant.now(), MINUTE);
        Files.delete(lockFile);
        writeLock(successor.toJson(), Instant.now());
        lock.release();
        assertEquals(successor, RunLock.read(run, Instant.now()).orElseThrow().owner());
    }

    @Test
    void anOwnerWhoseRunWasTakenOverStopsWritingAndHeartbeating() throws IOException {
        RunLock lock = RunLock.acquire(run, "app-suspended", MINUTE);
        List<String> writes = new ArrayList<>();
        TrainingListener check = GuardedListeners.check(lock::requireOwned);
        TrainingListener writer = GuardedListeners.whileHeld(lock::lost, new TrainingListener() {
            @Override
            public void onEnd(TrainingState state) {
                writes.add("end");
            }

            @Override
            public void close() {
                writes.add("close");
            }
        });
        check.onEnd(null);
        writer.onEnd(null);
        assertEquals(List.of("end"), writes, "written while the lock is this owner's");

        // While this owner was suspended past its timeout, another driver took the run over.
        RunLock.Owner successor = new RunLock.Owner(UUID.randomUUID().toString(), "app-successor", "elsewhere.example",
                2, null, Instant.now(), MINUTE);
        Files.delete(lockFile);
        Instant successorsBeat = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        writeLock(successor.toJson(), successorsBeat);

        RunInUseException e = assertThrows(RunInUseException.class, () -> check.onEnd(null));
        assertTrue(e.getMessage().startsWith("lost run directory " + run.root() + " to application app-successor on"
                + " host elsewhere.example (pid 2), last seen "), e.getMessage());
        assertTrue(lock.lost());
        writer.onEnd(null);
        writer.close();
        assertEquals(List.of("end"), writes, "nothing written or flushed once the lock is lost");
        lock.beat();
        RunLock.Status after = RunLock.read(run, Instant.now()).orElseThrow();
        assertEquals(successor, after.owner());
        assertEquals(successorsBeat, after.lastSeen(), "the lost owner's heartbeat leaves the successor's lock alone");
        lock.release();
        assertEquals(successor, RunLock.read(run, Instant.now()).orElseThrow().owner());
    }

    @Test
    void overwriteClearsTheRunButKeepsTheLock() throws IOException {
        try (RunLock lock = RunLock.acquire(run, "app", MINUTE)) {
            run.writeText(RunDirectory.CONFIG, "{}");
            run.prepare(true);
            assertTrue(run.looksLikeRun());
            assertFalse(Files.exists(tmp.resolve("run").resolve(RunDirectory.CONFIG)));
            assertEquals(lock.owner(), RunLock.read(run, Instant.now()).orElseThrow().owner());
        }
    }

    @Test
    void timeoutsShorterThanAHeartbeatCanServeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RunLock.acquire(run, "app", Duration.ofSeconds(1)));
        assertFalse(Files.exists(lockFile));
        assertEquals(Duration.ofMillis(500), RunLock.heartbeatInterval(Duration.ofSeconds(2)));
        assertEquals(Duration.ofSeconds(45), RunLock.heartbeatInterval(Duration.ofMinutes(3)));
        assertEquals(Duration.ofMinutes(1), RunLock.heartbeatInterval(Duration.ofHours(1)));
    }

    /** A lock file with {@code content}, its heartbeat (modification time) at {@code lastSeen}. */
    private void writeLock(String content, Instant lastSeen) throws IOException {
        AtomicFiles.writeText(run.fs(), run.file(RunDirectory.LOCK), content);
        run.fs().setTimes(run.file(RunDirectory.LOCK), lastSeen.toEpochMilli(), -1);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(tmp.resolve("run"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }
}
