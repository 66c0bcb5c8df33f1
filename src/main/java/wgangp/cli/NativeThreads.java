package wgangp.cli;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Caps ND4J's OpenMP and BLAS threads. Its OpenMP threads busy-wait, so more threads than cores
 * (or than a Spark task's cores) halves BLAS speed instead of helping.
 */
final class NativeThreads {
    private NativeThreads() {
    }

    static void set(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
