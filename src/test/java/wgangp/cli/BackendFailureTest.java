package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4jBackend;

/**
 * The CUDA build on a host without the NVIDIA driver, with the exceptions ND4J throws there built
 * by hand (no such host is at hand): one line saying so and what to do, anything else untouched.
 */
class BackendFailureTest {
    /** What the first touch of {@code Nd4j} throws when no backend loads. */
    private static Throwable firstTouch() {
        return new ExceptionInInitializerError(new RuntimeException(new Nd4jBackend.NoAvailableBackendException(
                "Please ensure that you have an nd4j backend on your classpath.")));
    }

    @Test
    void aCudaBuildWithoutTheDriverGetsOneLine() {
        String line = BackendFailure.explain(firstTouch(), true, false).orElseThrow();
        assertTrue(line.startsWith("this is the CUDA build of the job, and ND4J cannot load its CUDA backend on this"
                + " host: no NVIDIA driver is loaded (/proc/driver/nvidia/version is missing); run it where an NVIDIA"
                + " GPU and its driver are installed, or use the CPU build"), line);
        assertFalse(line.contains("\n"));
        // Every later touch of the class fails like this instead.
        assertTrue(BackendFailure.explain(new NoClassDefFoundError("Could not initialize class"
                + " org.nd4j.linalg.factory.Nd4j"), true, false).isPresent());
        // The driver's kernel module is there but its library is not (a container without it mounted).
        String library = BackendFailure.explain(new RuntimeException(new UnsatisfiedLinkError(
                "/tmp/javacpp/libjnicudart.so: libcuda.so.1: cannot open shared object file")), true, true).orElseThrow();
        assertTrue(library.contains("the NVIDIA driver library (libcuda.so.1) cannot be loaded"), library);
    }

    @Test
    void otherFailuresAreLeftToTheStackTrace() {
        assertEquals(Optional.empty(), BackendFailure.explain(firstTouch(), false, false), "the CPU build");
        assertEquals(Optional.empty(), BackendFailure.explain(firstTouch(), true, true),
                "a driver is there: the cause is something else, and the stack trace shows it");
        assertEquals(Optional.empty(), BackendFailure.explain(new IllegalStateException("boom"), true, false));
        assertFalse(BackendFailure.cudaBuild(), "this build is the CPU one");
    }
}
