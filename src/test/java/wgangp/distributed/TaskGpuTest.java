package wgangp.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** From Spark's GPU addresses to the CUDA device a task binds to. */
class TaskGpuTest {

    @Test
    void noAddressesMeansNoBinding() {
        assertEquals(OptionalInt.empty(), TaskGpu.deviceOrdinal(null, null, 4));
        assertEquals(OptionalInt.empty(), TaskGpu.deviceOrdinal(new String[0], "0,1", 4));
    }

    @Test
    void anAddressIsADeviceIndexWhenNothingIsHidden() {
        assertEquals(OptionalInt.of(0), TaskGpu.deviceOrdinal(new String[] {"0"}, null, 1));
        assertEquals(OptionalInt.of(3), TaskGpu.deviceOrdinal(new String[] {"3"}, null, 4));
        assertEquals(OptionalInt.of(2), TaskGpu.deviceOrdinal(new String[] {" 2 "}, "", 4));
    }

    @Test
    void aTaskWithSeveralGpusUsesTheFirst() {
        assertEquals(OptionalInt.of(1), TaskGpu.deviceOrdinal(new String[] {"1", "0"}, null, 2));
    }

    @Test
    void anAddressListedInCudaVisibleDevicesMapsToItsPositionThere() {
        // nvidia-smi says GPU 3; with CUDA_VISIBLE_DEVICES=2,3 the CUDA runtime calls it device 1
        assertEquals(OptionalInt.of(1), TaskGpu.deviceOrdinal(new String[] {"3"}, "2,3", 2));
        assertEquals(OptionalInt.of(0), TaskGpu.deviceOrdinal(new String[] {"2"}, "2, 3", 2));
        assertEquals(OptionalInt.of(0), TaskGpu.deviceOrdinal(new String[] {"GPU-8f1c"}, "GPU-8f1c", 1));
        // a container that renumbers its devices: the address is an index among the visible ones
        assertEquals(OptionalInt.of(0), TaskGpu.deviceOrdinal(new String[] {"0"}, "5", 1));
    }

    @Test
    void anAddressNoDeviceMatchesIsRefusedWithTheAddressNamed() {
        IllegalStateException outOfRange = assertThrows(IllegalStateException.class,
                () -> TaskGpu.deviceOrdinal(new String[] {"4"}, null, 2));
        assertTrue(outOfRange.getMessage().contains("'4'") && outOfRange.getMessage().contains("sees 2 CUDA device"),
                outOfRange.getMessage());
        IllegalStateException hidden = assertThrows(IllegalStateException.class,
                () -> TaskGpu.deviceOrdinal(new String[] {"1"}, "3", 1));
        assertTrue(hidden.getMessage().contains("CUDA_VISIBLE_DEVICES=3"), hidden.getMessage());
        IllegalStateException notAnIndex = assertThrows(IllegalStateException.class,
                () -> TaskGpu.deviceOrdinal(new String[] {"gpu0"}, null, 1));
        assertTrue(notAnIndex.getMessage().contains("'gpu0'") && notAnIndex.getMessage().contains("device indices"),
                notAnIndex.getMessage());
        assertThrows(IllegalStateException.class, () -> TaskGpu.deviceOrdinal(new String[] {"0"}, null, 0));
    }
}
