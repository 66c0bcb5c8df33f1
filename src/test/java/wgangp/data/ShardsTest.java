package wgangp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardsTest {

    /** 23 images of 2x2 pixels; image i has all pixels equal to i. */
    static IdxImages images() {
        byte[] pixels = new byte[23 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i / 4);
        }
        return new IdxImages("test", 23, 2, 2, pixels);
    }

    @Test
    void shardsAreBalancedAndHoldEveryImageOnce() throws Exception {
        List<Shard> shards = Shards.split(images(), 4, 99);
        assertEquals(4, shards.size());
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            Shard s = shards.get(i);
            assertEquals(i, s.index());
            assertTrue(s.count() == 5 || s.count() == 6, s.toString());
            float[][] m = s.matrix().toFloatMatrix();
            for (float[] row : m) {
                int image = Math.round((row[0] + 1f) * 127.5f);
                for (float v : row) {
                    assertEquals(row[0], v);
                }
                seen.add(image);
            }
        }
        seen.sort(null);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            all.add(i);
        }
        assertEquals(all, seen);
    }

    @Test
    void theSameSeedDealsTheSameShards() throws Exception {
        List<Shard> a = Shards.split(images(), 3, 5);
        List<Shard> b = Shards.split(images(), 3, 5);
        List<Shard> c = Shards.split(images(), 3, 6);
        boolean anyDifferent = false;
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(a.get(i).matrix().toFloatMatrix(), b.get(i).matrix().toFloatMatrix());
            anyDifferent |= !Arrays.deepEquals(a.get(i).matrix().toFloatMatrix(), c.get(i).matrix().toFloatMatrix());
        }
        assertTrue(anyDifferent);
    }

    @Test
    void moreWorkersThanImagesIsAConfigError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shards.split(images(), 24, 1));
        assertTrue(e.getMessage().startsWith("workers=24"), e.getMessage());
    }
}
