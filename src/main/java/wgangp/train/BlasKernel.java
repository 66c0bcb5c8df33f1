package wgangp.train;

import com.sun.jna.NativeLibrary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.Engine;

/**
 * The OpenBLAS kernel a JVM computes with, which every JVM of a run must share.
 *
 * <p>ND4J's OpenBLAS is built for many CPUs at once and picks its kernel when the library loads:
 * the one {@value #CORETYPE_ENV} names, or else the one it judges best for the CPU. Kernels for
 * different CPUs (Haswell, SkylakeX, Zen, …) sum in different orders, so the same gemm gives
 * results that agree to float rounding but not to the byte. A run whose executors sit on
 * different CPU generations, or whose driver's shell sets the variable while YARN containers
 * (which do not inherit that shell's environment) do not, would silently lose "the same seed
 * gives the same bytes" and "a retried task recomputes the same bytes". So the run names its
 * kernel ({@code blas.coreType}), each JVM asks OpenBLAS for it before the library loads, and each
 * task checks that it got it.
 *
 * <p>The variable is read once, by OpenBLAS's initialiser when the library loads; Java cannot set
 * its own process environment, so {@link #pin} calls the C library's {@code setenv} (through JNA,
 * which ND4J already ships) before ND4J is first touched.
 */
public final class BlasKernel {
    /** The variable OpenBLAS reads its kernel from. */
    public static final String CORETYPE_ENV = "OPENBLAS_CORETYPE";
    /** OpenBLAS's L2 cache size override: it changes the blocking, so it travels with the kernel. */
    public static final String L2_SIZE_ENV = "OPENBLAS_L2_SIZE";
    /** A kernel every x86-64 node with AVX2 (Intel since 2013, AMD since 2015) can run. */
    public static final String COMMON_X86_64 = "Haswell";

    private BlasKernel() {
    }

    /** The kernel a run uses unless told otherwise: the environment's {@value #CORETYPE_ENV}, else Haswell. */
    public static String defaultFor(Map<String, String> environment) {
        String set = environment.get(CORETYPE_ENV);
        return set == null || set.isBlank() ? COMMON_X86_64 : set.trim();
    }

    /** {@link #defaultFor} of this JVM's environment. */
    public static String fromEnvironment() {
        return defaultFor(System.getenv());
    }

    /**
     * The environment variables a JVM of a run needs to compute with {@code coreType}: the kernel,
     * and {@value #L2_SIZE_ENV} when {@code environment} (the driver's) sets it.
     */
    public static Map<String, String> environment(String coreType, Map<String, String> environment) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(CORETYPE_ENV, coreType);
        String l2 = environment.get(L2_SIZE_ENV);
        if (l2 != null && !l2.isBlank()) {
            env.put(L2_SIZE_ENV, l2.trim());
        }
        return env;
    }

    /**
     * Asks this JVM's OpenBLAS for {@code coreType}. Effective only before OpenBLAS loads (ND4J
     * loads it on first use); afterwards it changes nothing, and {@link #require} reports the
     * kernel that was loaded.
     */
    public static void pin(String coreType) {
        if (loaded() || coreType.equals(System.getenv(CORETYPE_ENV))) {
            return;
        }
        int rc = NativeLibrary.getInstance("c").getFunction("setenv")
                .invokeInt(new Object[] {CORETYPE_ENV, coreType, 1});
        if (rc != 0) {
            throw new IllegalStateException("setenv(" + CORETYPE_ENV + ") failed with " + rc);
        }
    }

    /** True once this JVM has loaded an OpenBLAS library. */
    static boolean loaded() {
        return Loader.getLoadedLibraries().keySet().stream().anyMatch(name -> name.startsWith("openblas"));
    }

    /**
     * The kernel this JVM's OpenBLAS runs, loading ND4J if it has not been; empty on a device
     * backend, whose arithmetic does not go through OpenBLAS.
     */
    public static Optional<String> inUse() {
        if (!Engine.cpuBackend()) {
            return Optional.empty();
        }
        Nd4j.getExecutioner();
        TreeSet<String> kernels = new TreeSet<>();
        Loader.getLoadedLibraries().forEach((name, path) -> {
            if (name.startsWith("openblas")) {
                kernels.add(NativeLibrary.getInstance(path).getFunction("openblas_get_corename")
                        .invokeString(new Object[0], false));
            }
        });
        if (kernels.isEmpty()) {
            throw new IllegalStateException("ND4J's CPU backend loaded no OpenBLAS library");
        }
        return Optional.of(String.join("/", kernels));
    }

    /**
     * Fails with {@link KernelMismatchException} when this JVM's OpenBLAS runs another kernel than
     * {@code expected} (compared as OpenBLAS does, ignoring case). Does nothing on a device backend.
     *
     * @param jvm what this JVM is, for the message ("the driver", "executor 3 on host h")
     */
    public static void require(String expected, String jvm) {
        Optional<String> actual = inUse();
        if (actual.isPresent() && !actual.get().equalsIgnoreCase(expected)) {
            throw new KernelMismatchException(jvm + " computes with OpenBLAS kernel " + actual.get()
                    + " but the run uses blas.coreType=" + expected + (System.getenv(CORETYPE_ENV) == null ? ""
                    : " (" + CORETYPE_ENV + "=" + System.getenv(CORETYPE_ENV) + " there)")
                    + "; results would differ in the last bits. Give that JVM " + CORETYPE_ENV + "=" + expected
                    + " (spark.executorEnv / spark.yarn.appMasterEnv), or set blas.coreType to a kernel every node"
                    + " has and OpenBLAS knows");
        }
    }

    /**
     * A JVM computes with other native kernels than its run's ({@link NativeKernels}): a setting to fix, not a fault of the
     * job, hence an IllegalArgumentException (exit 2 on the driver; a failed task on an executor).
     */
    public static final class KernelMismatchException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public KernelMismatchException(String message) {
            super(message);
        }

        /**
         * The mismatch a failed Spark job reports, if that is why it failed: Spark hands the
         * driver an executor's exception as text inside its own message.
         */
        public static Optional<KernelMismatchException> reportedIn(Throwable failure) {
            String marker = KernelMismatchException.class.getName() + ": ";
            for (Throwable t = failure; t != null; t = t.getCause()) {
                String message = t.getMessage();
                int at = message == null ? -1 : message.indexOf(marker);
                if (at >= 0) {
                    String rest = message.substring(at + marker.length());
                    int end = rest.indexOf('\n');
                    return Optional.of(new KernelMismatchException((end < 0 ? rest : rest.substring(0, end)).strip()));
                }
            }
            return Optional.empty();
        }
    }
}
