package wgangp.io;

import static wgangp.train.TrainingState.Array.CRITIC_ADAM;
import static wgangp.train.TrainingState.Array.CRITIC_OUTER_MOMENTUM;
import static wgangp.train.TrainingState.Array.CRITIC_PARAMS;
import static wgangp.train.TrainingState.Array.GENERATOR_ADAM;
import static wgangp.train.TrainingState.Array.GENERATOR_BATCH_NORM_STATS;
import static wgangp.train.TrainingState.Array.GENERATOR_OUTER_MOMENTUM;
import static wgangp.train.TrainingState.Array.GENERATOR_PARAMS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.train.States;
import wgangp.train.TrainingState;

class CheckpointsTest {
    @TempDir
    java.nio.file.Path tmp;
    FileSystem fs;
    Checkpoints checkpoints;
    float[] noise = {1, 2, 3, 4, 5, 6};

    @BeforeEach
    void setUp() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
        checkpoints = new Checkpoints(fs, new Path(tmp.toUri().toString(), "checkpoints"));
    }

    static TrainingState state(long seed, long steps) {
        Random r = new Random(seed);
        Map<TrainingState.Array, Integer> sizes = Map.of(GENERATOR_PARAMS, 50, GENERATOR_BATCH_NORM_STATS, 8,
                GENERATOR_ADAM, 100, CRITIC_PARAMS, 30, CRITIC_ADAM, 60);
        return TrainingState.of(name -> {
            float[] a = new float[sizes.getOrDefault(name, 0)];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
            }
            // Values a lossy float encoding would alter.
            if (name == GENERATOR_PARAMS) {
                a[3] = -0.0f;
            } else if (name == GENERATOR_BATCH_NORM_STATS) {
                a[0] = Float.MIN_VALUE;
            }
            return a;
        }, steps, 5 * steps);
    }

    @Test
    void aCheckpointReadsBackExactly() throws IOException {
        TrainingState s = state(1, 40);
        String name = checkpoints.write(s, noise, 3, "{\"seed\":1}", "{\"git_sha\":\"x\"}");
        assertEquals("step-0000040", name);
        Checkpoints.Checkpoint c = checkpoints.loadLatest().orElseThrow();
        assertEquals(name, c.name());
        assertTrue(States.sameValues(c.state(), s));
        assertArrayEquals(StateCodec.encode(s), StateCodec.encode(c.state()));
        assertArrayEquals(noise, c.sampleNoise());
        assertEquals("{\"seed\":1}", c.configJson());
        assertEquals("{\"git_sha\":\"x\"}", c.provenanceJson());
        assertEquals("step-0000040\n", RunDirectory.readText(fs, new Path(checkpoints.dir(), "latest")));
        String manifest = RunDirectory.readText(fs, new Path(checkpoints.dir(), name + "/MANIFEST"));
        for (String f : List.of("state.bin", "sample-noise.bin", "config.json", "provenance.json")) {
            assertTrue(manifest.contains("  " + f + "\n"), manifest);
        }
    }

    @Test
    void aTornCheckpointIsRejectedAndTheNewestCompleteOneLoads() throws IOException {
        TrainingState older = state(1, 40);
        TrainingState newer = state(2, 80);
        checkpoints.write(older, noise, 3, "{}", "{}");
        String name = checkpoints.write(newer, noise, 3, "{}", "{}");
        java.nio.file.Path stateFile = tmp.resolve("checkpoints").resolve(name).resolve("state.bin");
        byte[] bytes = Files.readAllBytes(stateFile);
        Files.write(stateFile, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        Files.deleteIfExists(stateFile.resolveSibling(".state.bin.crc"));

        IOException e = assertThrows(IOException.class, () -> checkpoints.load(name));
        assertTrue(e.getMessage().contains("state.bin"), e.getMessage());
        Checkpoints.Checkpoint loaded = checkpoints.loadLatest().orElseThrow();
        assertEquals("step-0000040", loaded.name());
        assertTrue(States.sameValues(loaded.state(), older));
    }

    @Test
    void aFlippedByteIsCaughtByTheDigest() throws IOException {
        String name = checkpoints.write(state(1, 40), noise, 3, "{}", "{}");
        java.nio.file.Path stateFile = tmp.resolve("checkpoints").resolve(name).resolve("state.bin");
        byte[] bytes = Files.readAllBytes(stateFile);
        bytes[bytes.length / 2] ^= 1;
        Files.write(stateFile, bytes);
        Files.deleteIfExists(stateFile.resolveSibling(".state.bin.crc"));
        IOException e = assertThrows(IOException.class, () -> checkpoints.load(name));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertTrue(checkpoints.loadLatest().isEmpty());
    }

    @Test
    void aCheckpointWithoutManifestIsIncomplete() throws IOException {
        checkpoints.write(state(1, 40), noise, 3, "{}", "{}");
        String name = checkpoints.write(state(2, 80), noise, 3, "{}", "{}");
        fs.delete(new Path(checkpoints.dir(), name + "/MANIFEST"), false);
        assertTrue(checkpoints.tryLoad(name).isEmpty());
        assertEquals("step-0000040", checkpoints.loadLatest().orElseThrow().name());
    }

    @Test
    void aPartialManifestIsIncompleteAndTheOlderCheckpointLoads() throws IOException {
        TrainingState older = state(1, 40);
        checkpoints.write(older, noise, 3, "{}", "{}");
        String name = checkpoints.write(state(2, 80), noise, 3, "{}", "{}");
        java.nio.file.Path manifest = tmp.resolve("checkpoints").resolve(name).resolve(Manifest.NAME);
        String text = Files.readString(manifest);
        // Cut inside a digest, after a whole line, and inside the last file name.
        for (int cut : new int[] {20, text.indexOf('\n') + 1, text.length() - 5}) {
            Files.writeString(manifest, text.substring(0, cut));
            Files.deleteIfExists(manifest.resolveSibling("." + Manifest.NAME + ".crc"));
            assertTrue(checkpoints.tryLoad(name).isEmpty(), "manifest cut at " + cut);
            Checkpoints.Checkpoint loaded = checkpoints.loadLatest().orElseThrow();
            assertEquals("step-0000040", loaded.name(), "manifest cut at " + cut);
            assertTrue(States.sameValues(loaded.state(), older));
        }
    }

    @Test
    void aDigestMismatchFallsBackToTheOlderCheckpointThatLatestDoesNotName() throws IOException {
        TrainingState older = state(1, 40);
        checkpoints.write(older, noise, 3, "{}", "{}");
        String name = checkpoints.write(state(2, 80), noise, 3, "{}", "{}");
        assertEquals(name, RunDirectory.readText(fs, new Path(checkpoints.dir(), Checkpoints.LATEST)).trim());
        // Same size, one bit different, in the sample noise this time.
        java.nio.file.Path noiseFile = tmp.resolve("checkpoints").resolve(name).resolve(Checkpoints.SAMPLE_NOISE);
        byte[] bytes = Files.readAllBytes(noiseFile);
        bytes[bytes.length - 1] ^= 0x40;
        Files.write(noiseFile, bytes);
        Files.deleteIfExists(noiseFile.resolveSibling("." + Checkpoints.SAMPLE_NOISE + ".crc"));

        IOException e = assertThrows(IOException.class, () -> checkpoints.load(name));
        assertTrue(e.getMessage().contains(Checkpoints.SAMPLE_NOISE) && e.getMessage().contains("SHA-256"),
                e.getMessage());
        Checkpoints.Checkpoint loaded = checkpoints.loadLatest().orElseThrow();
        assertEquals("step-0000040", loaded.name());
        assertTrue(States.sameValues(loaded.state(), older));
    }

    /**
     * A listing and loading judge completeness by one rule: every damage that changes a file's
     * size or the manifest makes both say incomplete; only a same-size change, which takes reading
     * the bytes to see, passes the listing's check and fails loading's.
     */
    @Test
    void summarizeAndLoadApplyOneRuleOfCompleteness() throws IOException {
        Map<String, Damage> damages = new java.util.LinkedHashMap<>();
        damages.put("no manifest", cp -> Files.delete(cp.resolve(Manifest.NAME)));
        damages.put("a file missing", cp -> Files.delete(cp.resolve(Checkpoints.CONFIG)));
        damages.put("a file cut short", cp -> {
            byte[] b = Files.readAllBytes(cp.resolve(Checkpoints.STATE));
            Files.write(cp.resolve(Checkpoints.STATE), java.util.Arrays.copyOf(b, b.length - 1));
        });
        damages.put("a file the manifest does not list", cp -> {
            List<String> lines = Files.readAllLines(cp.resolve(Manifest.NAME));
            Files.write(cp.resolve(Manifest.NAME),
                    lines.stream().filter(l -> !l.endsWith(Checkpoints.PROVENANCE)).toList());
        });
        damages.put("a malformed manifest", cp -> Files.writeString(cp.resolve(Manifest.NAME), "torn"));
        for (Map.Entry<String, Damage> d : damages.entrySet()) {
            String name = checkpoints.write(state(1, 40), noise, 3, "{}", "{}");
            assertTrue(checkpoints.summarize(name).complete());
            d.getValue().apply(damaged(name));
            CheckpointSummary summary = checkpoints.summarize(name);
            IOException e = assertThrows(IOException.class, () -> checkpoints.load(name), d.getKey());
            assertFalse(summary.complete(), d.getKey());
            assertEquals(e.getMessage(), summary.problem(), d.getKey());
        }

        String name = checkpoints.write(state(1, 40), noise, 3, "{}", "{}");
        java.nio.file.Path stateFile = damaged(name).resolve(Checkpoints.STATE);
        byte[] bytes = Files.readAllBytes(stateFile);
        bytes[bytes.length - 1] ^= 1;
        Files.write(stateFile, bytes);
        assertTrue(checkpoints.summarize(name).complete(), "sizes alone cannot see a flipped bit");
        IOException e = assertThrows(IOException.class, () -> checkpoints.load(name));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    /** Something done to a checkpoint directory's files. */
    interface Damage {
        void apply(java.nio.file.Path checkpoint) throws IOException;
    }

    /** The directory of checkpoint {@code name}, its CRC files removed so that damage goes unnoticed below us. */
    private java.nio.file.Path damaged(String name) throws IOException {
        java.nio.file.Path cp = tmp.resolve("checkpoints").resolve(name);
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(cp)) {
            for (java.nio.file.Path crc : files.filter(f -> f.getFileName().toString().endsWith(".crc")).toList()) {
                Files.delete(crc);
            }
        }
        return cp;
    }

    @Test
    void noCheckpointsMeansEmpty() throws IOException {
        assertTrue(checkpoints.loadLatest().isEmpty());
        assertTrue(checkpoints.names().isEmpty());
    }

    @Test
    void pruningKeepsTheNewest() throws IOException {
        for (int i = 1; i <= 5; i++) {
            checkpoints.write(state(i, 10L * i), noise, 3, "{}", "{}");
        }
        checkpoints.prune(2);
        assertEquals(List.of("step-0000040", "step-0000050"), checkpoints.names());
        assertEquals("step-0000050", checkpoints.loadLatest().orElseThrow().name());
        assertFalse(fs.exists(new Path(checkpoints.dir(), "step-0000010")));
    }

    @Test
    void rewritingAStepReplacesIt() throws IOException {
        checkpoints.write(state(1, 40), noise, 3, "{}", "{}");
        TrainingState again = state(9, 40);
        checkpoints.write(again, noise, 3, "{}", "{}");
        assertTrue(States.sameValues(checkpoints.loadLatest().orElseThrow().state(), again));
        assertEquals(List.of("step-0000040"), checkpoints.names());
    }

    /**
     * The state file is the magic, the two counters and the arrays in the order that checkpoints
     * written since the first release hold them, built here by hand so that a reordered or renamed
     * {@link TrainingState.Array} cannot quietly make old checkpoints load into the wrong arrays.
     */
    @Test
    void theStateFileKeepsItsLayoutSoOldCheckpointsLoad() throws IOException {
        TrainingState s = state(4, 12);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeBytes("WGGPSTA1");
        out.writeLong(12);
        out.writeLong(60);
        for (float[] a : List.of(s.generatorParams(), s.generatorBatchNormStats(), s.generatorAdam(),
                s.criticParams(), s.criticAdam())) {
            out.writeInt(a.length);
            for (float v : a) {
                out.writeFloat(v);
            }
        }
        out.flush();
        assertArrayEquals(bytes.toByteArray(), StateCodec.encode(s));
        TrainingState decoded = StateCodec.decodeState(bytes.toByteArray(), "x");
        assertTrue(States.sameValues(decoded, s));
        assertEquals(50, decoded.generatorParams().length);
        assertEquals(8, decoded.generatorBatchNormStats().length);
        assertEquals(60, decoded.criticAdam().length);
    }

    /**
     * The outer momentum is written when it holds values and read back bit for bit; an empty one is
     * left out, so the file is the one the same state wrote before the momentum existed.
     */
    @Test
    void theOuterMomentumIsWrittenOnlyWhenItHoldsValues() throws IOException {
        TrainingState plain = state(2, 40);
        TrainingState withMomentum = plain.with(GENERATOR_OUTER_MOMENTUM, new float[] {1.5f, -0.0f, 3})
                .with(CRITIC_OUTER_MOMENTUM, new float[] {Float.MIN_VALUE});
        byte[] bytes = StateCodec.encode(withMomentum);
        assertEquals(StateCodec.encode(plain).length + 4 + 12 + 4 + 4, bytes.length);
        assertTrue(States.sameValues(StateCodec.decodeState(bytes, "x"), withMomentum));
        TrainingState decodedPlain = StateCodec.decodeState(StateCodec.encode(plain), "x");
        assertTrue(States.sameValues(decodedPlain, plain));
        assertEquals(0, decodedPlain.get(CRITIC_OUTER_MOMENTUM).length);
    }

    @Test
    void aStateFileThatEndsBetweenArraysNamesTheMissingOne() {
        TrainingState s = state(1, 1);
        byte[] good = StateCodec.encode(s);
        int withoutCriticAdam = good.length - 4 - 4 * s.criticAdam().length;
        IOException e = assertThrows(IOException.class,
                () -> StateCodec.decodeState(java.util.Arrays.copyOf(good, withoutCriticAdam), "x"));
        assertTrue(e.getMessage().contains(CRITIC_ADAM.label()), e.getMessage());
    }

    @Test
    void stateCodecRejectsForeignAndTruncatedBytes() {
        byte[] good = StateCodec.encode(state(1, 1));
        assertThrows(IOException.class, () -> StateCodec.decodeState(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, "x"));
        assertThrows(IOException.class, () -> StateCodec.decodeState(java.util.Arrays.copyOf(good, 40), "x"));
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThrows(IOException.class, () -> StateCodec.decodeState(longer, "x"));
    }
}
