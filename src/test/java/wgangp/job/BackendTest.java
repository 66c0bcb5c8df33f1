package wgangp.job;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The driver refuses, before Spark starts, what this JVM's backend or engine cannot train. */
class BackendTest {

    private static JobConfig config(Map<String, String> values) {
        return JobConfig.fromMap(JobConfig.defaults(), values, "the test");
    }

    @Test
    void synchronisedBatchNormOnTheDeviceEngineIsRefusedWithTheKeyToChange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backend.check(config(Map.of("workers", "2", "engine", "device"))));
        assertTrue(e.getMessage().contains("set generator.batchNormSync=false"), e.getMessage());
    }

    @Test
    void theDeviceEngineTrainsTwoWorkersWithoutSynchronisedBatchNormOrOneWorkerWithIt() {
        assertTrue(Backend.check(config(Map.of("workers", "2", "engine", "device",
                "generator.batchNormSync", "false"))).contains("engine device"));
        assertTrue(Backend.check(config(Map.of("workers", "1", "engine", "device"))).contains("engine device"));
        assertTrue(Backend.check(config(Map.of("workers", "2", "parallelism", "averaging", "engine", "device")))
                .contains("engine device"));
    }
}
