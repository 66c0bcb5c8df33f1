package wgangp.train;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Caps ND4J's OpenMP and BLAS threads. Its OpenMP threads busy-wait, so more threads than cores
 * (or than a Spark task's cores) halves BLAS speed instead of helping. The setting is per JVM:
 * concurrent tasks in one executor should all ask for their own task's cores.
 */
public final class NativeThreads {
    private NativeThreads() {
    }

    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("native threads must be >= 1, got " + threads);
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
