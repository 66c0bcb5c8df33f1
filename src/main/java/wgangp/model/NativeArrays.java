package wgangp.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Releases ND4J arrays' off-heap memory at once. A replica builds its networks and buffers anew
 * every round (~50 MB for the reference model); left to the garbage collector, which does not see
 * off-heap sizes, that memory piles up until a collection happens to run.
 */
public final class NativeArrays {
    private NativeArrays() {
    }

    /** Closes every non-null array; views and already released arrays are skipped. */
    public static void close(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }
}
