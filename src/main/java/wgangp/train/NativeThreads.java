package wgangp.train;

import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.Engine;
import wgangp.model.kernels.OneDnn;

/**
 * Caps ND4J's OpenMP and BLAS threads, and on the CPU backend oneDNN's. Their OpenMP threads
 * busy-wait, so more threads than cores (or than a Spark task's cores) halves their speed instead
 * of helping. ND4J's setting is per JVM: concurrent tasks in one executor should all ask for their
 * own task's cores. oneDNN's is the calling thread's ({@link OneDnn#threads}), so the thread that
 * trains calls this.
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
        if (Engine.cpuBackend()) {
            OneDnn.threads(threads);
        }
    }
}
