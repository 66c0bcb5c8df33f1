package wgangp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {

    @Test
    void mix64IsSplitMix64() {
        // SplitMix64 seeded with 0: its first output is mix64(0 + GAMMA).
        assertEquals(0xE220A8397B1DCDAFL, Seeds.mix64(0x9E3779B97F4A7C15L));
    }

    @Test
    void replicaSeedsArePureFunctionsOfTheirArguments() {
        assertEquals(Seeds.replica(7, 120, 3), Seeds.replica(7, 120, 3));
        assertEquals(Seeds.shards(7), Seeds.shards(7));
        assertEquals(Seeds.sampleNoise(7), Seeds.sampleNoise(7));
    }

    @Test
    void replicaSeedsDifferAcrossSeedsRoundsAndPartitions() {
        Set<Long> seen = new HashSet<>();
        for (long seed = 0; seed < 4; seed++) {
            for (long round = 0; round < 50; round += 10) {
                for (int partition = 0; partition < 8; partition++) {
                    seen.add(Seeds.replica(seed, round, partition));
                }
            }
            seen.add(Seeds.shards(seed));
            seen.add(Seeds.sampleNoise(seed));
        }
        assertEquals(4 * 5 * 8 + 4 * 2, seen.size());
        // Swapping round and partition must not collide either.
        assertNotEquals(Seeds.replica(1, 2, 3), Seeds.replica(1, 3, 2));
    }
}
