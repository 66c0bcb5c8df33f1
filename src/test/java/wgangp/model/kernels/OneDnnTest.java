package wgangp.model.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.NativeLibrary;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

/**
 * This JVM's oneDNN: the instruction set read from the CPU's flags is the one oneDNN itself
 * detects, and the thread cap reaches the OpenMP runtime oneDNN runs on.
 */
class OneDnnTest {

    /**
     * Nothing in the test JVM caps oneDNN below the CPU's best (runs pin the best by default), so
     * the driver's choice from /proc/cpuinfo must be what oneDNN computes with.
     */
    @Test
    void theBestInstructionSetIsTheOneOneDnnDetects() {
        assertEquals(OneDnn.best(), OneDnn.inUse());
    }

    @Test
    void namesParseInAnyCaseAndUnknownOnesAreRefused() {
        assertEquals(OneDnn.Isa.AVX512_CORE, OneDnn.Isa.parse(" AVX512_core "));
        assertEquals(OneDnn.Isa.AVX2, OneDnn.Isa.parse("avx2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OneDnn.Isa.parse("avx512"));
        assertEquals("unknown instruction set 'avx512', expected one of sse41, avx, avx2, avx512_core", e.getMessage());
    }

    /** The cap is the calling thread's: read back through the library oneDNN resolves its OpenMP symbols in. */
    @Test
    void theThreadCapReachesOneDnnsOpenMpForTheCallingThread() throws Exception {
        OneDnn.threads(3);
        assertEquals(3, maxThreads());
        OneDnn.threads(1);
        assertEquals(1, maxThreads());
        int[] other = new int[1];
        Thread t = new Thread(() -> {
            OneDnn.threads(2);
            other[0] = maxThreads();
        });
        t.start();
        t.join();
        assertEquals(2, other[0]);
        assertEquals(1, maxThreads(), "another thread's cap leaves this one's alone");
    }

    private static int maxThreads() {
        Loader.load(dnnl.class);
        String path = Loader.getLoadedLibraries().get("dnnl@.2");
        assertTrue(path != null, "oneDNN's library is loaded");
        return NativeLibrary.getInstance(path).getFunction("omp_get_max_threads").invokeInt(new Object[0]);
    }
}
