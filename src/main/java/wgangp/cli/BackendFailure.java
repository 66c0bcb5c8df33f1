package wgangp.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises the failure of a CUDA build started on a host without the NVIDIA driver, so that the
 * driver says so in one line instead of ND4J's stack trace.
 *
 * <p>ND4J loads its backend when its {@code Nd4j} class is first touched. When the CUDA backend
 * cannot start, ND4J logs the cause as a warning and throws {@code NoAvailableBackendException}
 * ("Please ensure that you have an nd4j backend on your classpath"), wrapped in the class's
 * {@link ExceptionInInitializerError}; every later touch throws {@link NoClassDefFoundError}
 * ("Could not initialize class org.nd4j.linalg.factory.Nd4j"). Where the native loader itself
 * fails first, an {@link UnsatisfiedLinkError} names the CUDA library it could not open.
 */
final class BackendFailure {
    /** The class only the CUDA build of ND4J has on its classpath. */
    static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";
    /** Present while the NVIDIA kernel driver is loaded. */
    static final Path NVIDIA_DRIVER = Path.of("/proc/driver/nvidia/version");

    private BackendFailure() {
    }

    /** The one-line explanation of {@code failure} on this host, or empty when it is something else. */
    static Optional<String> explain(Throwable failure) {
        return explain(failure, cudaBuild(), Files.exists(NVIDIA_DRIVER));
    }

    /**
     * The one-line explanation of {@code failure}, or empty when it is not a CUDA backend that
     * could not load for want of the driver.
     *
     * @param cudaBuild     whether this build carries ND4J's CUDA backend
     * @param driverPresent whether the NVIDIA kernel driver is loaded on this host
     */
    static Optional<String> explain(Throwable failure, boolean cudaBuild, boolean driverPresent) {
        if (!cudaBuild) {
            return Optional.empty();
        }
        boolean backendFailed = false;
        boolean cudaLibraryMissing = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            backendFailed |= t.getClass().getName().endsWith("NoAvailableBackendException")
                    || (t instanceof NoClassDefFoundError && message.contains("org.nd4j.linalg.factory.Nd4j"));
            cudaLibraryMissing |= t instanceof UnsatisfiedLinkError
                    && message.toLowerCase(Locale.ROOT).contains("libcuda");
        }
        if (!cudaLibraryMissing && !(backendFailed && !driverPresent)) {
            return Optional.empty();
        }
        return Optional.of("this is the CUDA build of the job, and ND4J cannot load its CUDA backend on this host: "
                + (driverPresent ? "the NVIDIA driver library (libcuda.so.1) cannot be loaded"
                        : "no NVIDIA driver is loaded (" + NVIDIA_DRIVER + " is missing)")
                + "; run it where an NVIDIA GPU and its driver are installed, or use the CPU build"
                + " (mvn -DskipTests package, without -Pcuda)");
    }

    /** Whether ND4J's CUDA backend is on this JVM's classpath, looked up without loading it. */
    static boolean cudaBuild() {
        return BackendFailure.class.getClassLoader().getResource(CUDA_BACKEND.replace('.', '/') + ".class") != null;
    }
}
