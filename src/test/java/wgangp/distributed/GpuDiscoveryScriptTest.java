package wgangp.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/gpu-discovery.sh with a fake nvidia-smi on PATH: its output must be what Spark's own
 * parser reads as the "gpu" resource, restricted to CUDA_VISIBLE_DEVICES when that is set.
 */
class GpuDiscoveryScriptTest {
    private static final Path SCRIPT = Path.of("scripts/gpu-discovery.sh");

    @TempDir
    Path bin;

    private record Run(int exitCode, String stdout, String stderr) {
    }

    /** A fake nvidia-smi that insists on the query the script must make and prints {@code indices}. */
    private void fakeNvidiaSmi(String indices) throws IOException {
        Path fake = bin.resolve("nvidia-smi");
        Files.writeString(fake, "#!/bin/sh\n"
                + "[ \"$*\" = '--query-gpu=index --format=csv,noheader' ] || { echo \"unexpected arguments: $*\" >&2; exit 9; }\n"
                + "printf '" + indices + "'\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run run(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString());
        pb.environment().remove("CUDA_VISIBLE_DEVICES");
        pb.environment().put("PATH", bin.toString()); // the script needs nothing but bash builtins and nvidia-smi
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    private static String[] addresses(Run run) {
        assertEquals(0, run.exitCode(), run.stderr());
        ResourceInformation gpu = ResourceInformation.parseJson(run.stdout().trim());
        assertEquals("gpu", gpu.name());
        return gpu.addresses();
    }

    @Test
    void printsEveryGpuAsSparkResourceJson() throws Exception {
        fakeNvidiaSmi("0\\n1\\n2\\n3\\n");
        Run run = run(Map.of());
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\",\"2\",\"3\"]}\n", run.stdout());
        assertArrayEquals(new String[] {"0", "1", "2", "3"}, addresses(run));
    }

    @Test
    void printsOnlyTheGpusCudaVisibleDevicesLists() throws Exception {
        fakeNvidiaSmi("0\\n1\\n2\\n3\\n");
        assertArrayEquals(new String[] {"1", "3"}, addresses(run(Map.of("CUDA_VISIBLE_DEVICES", "3, 1"))));
        assertArrayEquals(new String[0], addresses(run(Map.of("CUDA_VISIBLE_DEVICES", ""))));
        Run uuid = run(Map.of("CUDA_VISIBLE_DEVICES", "GPU-5d2e"));
        assertTrue(uuid.exitCode() != 0 && uuid.stderr().contains("indices only"), uuid.stderr());
    }

    @Test
    void aMachineWithoutGpusGivesAnEmptyList() throws Exception {
        fakeNvidiaSmi("");
        assertArrayEquals(new String[0], addresses(run(Map.of())));
    }

    @Test
    void failsWithAMessageWithoutNvidiaSmiOrOnOutputItCannotRead() throws Exception {
        Run missing = run(Map.of());
        assertTrue(missing.exitCode() != 0 && missing.stderr().contains("nvidia-smi not found"), missing.stderr());
        assertEquals("", missing.stdout());
        fakeNvidiaSmi("No devices were found\\n");
        Run garbled = run(Map.of());
        assertTrue(garbled.exitCode() != 0 && garbled.stderr().contains("unexpected line"), garbled.stderr());
        assertEquals("", garbled.stdout());
    }
}
