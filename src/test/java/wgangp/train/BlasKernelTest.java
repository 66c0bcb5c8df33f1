package wgangp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlasKernelTest {

    @Test
    void theDefaultIsTheEnvironmentsKernelElseHaswell() {
        assertEquals("Haswell", BlasKernel.defaultFor(Map.of()));
        assertEquals("Haswell", BlasKernel.defaultFor(Map.of(BlasKernel.CORETYPE_ENV, " ")));
        assertEquals("SkylakeX", BlasKernel.defaultFor(Map.of(BlasKernel.CORETYPE_ENV, "SkylakeX")));
    }

    @Test
    void theL2SizeTravelsWithTheKernelWhenSet() {
        assertEquals(Map.of("OPENBLAS_CORETYPE", "Zen"), BlasKernel.environment("Zen", Map.of()));
        assertEquals(Map.of("OPENBLAS_CORETYPE", "Zen", "OPENBLAS_L2_SIZE", "512"),
                BlasKernel.environment("Zen", Map.of("OPENBLAS_L2_SIZE", "512", "OPENBLAS_CORETYPE", "Haswell")));
    }

    /** BlasKernelSession pinned this JVM before any test loaded ND4J, whatever the host's CPU. */
    @Test
    void theTestJvmComputesWithTheKernelARunWouldPin() {
        assertEquals(BlasKernel.fromEnvironment().toLowerCase(), BlasKernel.inUse().orElseThrow().toLowerCase());
        BlasKernel.require(BlasKernel.fromEnvironment(), "the test JVM");
    }

    @Test
    void anotherKernelFailsNamingBothAndTheJvm() {
        String other = BlasKernel.inUse().orElseThrow().equalsIgnoreCase("Sandybridge") ? "Haswell" : "Sandybridge";
        BlasKernel.KernelMismatchException e = assertThrows(BlasKernel.KernelMismatchException.class,
                () -> BlasKernel.require(other, "executor 7 on host h1"));
        assertTrue(e.getMessage().startsWith("executor 7 on host h1 computes with OpenBLAS kernel "
                + BlasKernel.inUse().orElseThrow() + " but the run uses blas.coreType=" + other), e.getMessage());
    }

    /**
     * A JVM whose environment names one kernel computes with the one {@link BlasKernel#pin} asks
     * for, as a driver started from any shell does; and OpenBLAS, which falls back silently on a
     * name it does not know, is caught by the check.
     */
    @Test
    void pinOverridesTheEnvironmentBeforeOpenBlasLoads() throws Exception {
        assertEquals("Haswell", probe("Haswell", "Sandybridge"));
        assertEquals("Sandybridge", probe("Sandybridge", "Haswell"));
        assertTrue(probe("NoSuchCpu", "Haswell").startsWith("mismatch: the probe computes with OpenBLAS kernel "));
    }

    /** The kernel a fresh JVM reports after pinning {@code pinned} in an environment that says {@code environment}. */
    private static String probe(String pinned, String environment) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BlasKernelProbe.class.getName(), pinned));
        pb.environment().put(BlasKernel.CORETYPE_ENV, environment);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String[] lines = new String(out, StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        return lines[lines.length - 1].strip();
    }
}
