package wgangp.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import wgangp.io.Json;
import wgangp.model.Activation;
import wgangp.model.Normalization;

class JobConfigTest {

    static JobConfig defaults() {
        return JobConfig.fromMap(JobConfig.defaults(), Map.of(), "test");
    }

    @Test
    void theBundledFileHoldsExactlyTheBuiltInDefaults() {
        Map<String, String> file = ConfigSources.properties("conf/wgan-gp.properties", new Configuration());
        assertEquals(JobConfig.defaults(), new java.util.LinkedHashMap<>(JobConfig.defaults()) {{
                putAll(file);
            }});
        assertEquals(JobConfig.defaults().keySet(), file.keySet());
    }

    @Test
    void defaultsAreTheReferenceModel() {
        JobConfig c = defaults();
        assertEquals(64, c.batch());
        assertEquals(2e-4, c.lr());
        assertEquals(0.5, c.beta1());
        assertEquals(0.999, c.beta2());
        assertEquals(5, c.nCritic());
        assertEquals(10.0, c.lambdaGp());
        assertEquals(100, c.latent());
        assertEquals(List.of(128, 256, 512, 1024), c.generatorHidden());
        assertEquals(List.of(512, 256), c.criticHidden());
        assertEquals(0.2, c.leakySlope());
        assertEquals(Activation.LEAKYRELU, c.criticActivation());
        assertEquals(Normalization.NONE, c.criticNormalization());
        assertEquals(200.0, c.epochs());
        assertEquals(0, c.maxCriticIters());
        assertEquals(784, c.model(784).critic().inputSize());
    }

    @Test
    void stringsAndJsonRoundTrip() {
        JobConfig c = JobConfig.fromMap(JobConfig.defaults(), Map.of("generator.hidden", " 32, 64", "lr", "1e-3",
                "out", "hdfs://nn/runs/a"), "test");
        assertEquals(c, JobConfig.fromMap(c.toStrings(), Map.of(), "again"));
        assertEquals(c, JobConfig.fromMap(ConfigSources.json(Json.pretty(c.toJson()), "json"), Map.of(), "json"));
        assertEquals(List.of(32, 64), c.generatorHidden());
    }

    @Test
    void anUnknownKeyIsFatalAndNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.fromMap(JobConfig.defaults(), Map.of("learningRate", "1"), "--set"));
        assertTrue(e.getMessage().startsWith("unknown configuration key 'learningRate' in --set"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "batch|abc|batch=abc: not an integer",
        "batch|1|batch=1: must be >= 2",
        "lr|-0.1|lr=-0.1: must be > 0",
        "lr|NaN|lr=NaN: not a finite number",
        "beta2|1|beta2=1: must be in [0, 1)",
        "nCritic|0|nCritic=0: must be >= 1",
        "lambdaGp|-1|lambdaGp=-1: must be >= 0",
        "workers|0|workers=0: must be >= 1",
        "averagingFrequency|0|averagingFrequency=0: must be >= 1",
        "epochs|0|epochs=0: must be > 0",
        "maxCriticIters|-5|maxCriticIters=-5: must be >= 0",
        "sampleInterval|0|sampleInterval=0: must be >= 1",
        "seed|1.5|seed=1.5: not an integer",
        "generator.hidden|128,,256|generator.hidden=128,,256: not a comma-separated list",
        "critic.hidden|512,-1|critic.hidden=512,-1: not a comma-separated list",
        "critic.activation|tanh|critic.activation=tanh is not piecewise-linear",
        "critic.activation|swish|critic.activation=swish: unknown activation",
        "critic.normalization|batchnorm|critic.normalization=batchnorm breaks the exact gradient penalty",
        "leakySlope|1.5|leakySlope=1.5: must be in [0, 1)",
        "engine|gpu|engine=gpu: unknown engine 'gpu', expected one of [auto, host, device]",
        "blas.coreType|Haswell-2|blas.coreType=Haswell-2: must name an OpenBLAS kernel",
        "dnnl.isa|avx3|dnnl.isa=avx3: unknown instruction set 'avx3', expected one of sse41, avx, avx2, avx512_core",
        "workers|99999999999|workers=99999999999: must be <= 2147483647",
    })
    void aBadValueIsFatalAndNamesItsKey(String key, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.fromMap(JobConfig.defaults(), Map.of(key, value), "test"));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void aCheckpointWrittenBeforeTheEngineKeyExistedStillLoads() {
        Map<String, String> old = defaults().toStrings();
        old.remove("engine");
        assertEquals(wgangp.model.Engine.AUTO, JobConfig.fromCheckpoint(old, "checkpoint").engine());
        Map<String, String> device = defaults().toStrings();
        device.put("engine", "device");
        assertEquals(wgangp.model.Engine.DEVICE, JobConfig.fromCheckpoint(device, "checkpoint").engine());
        Map<String, String> noSeed = defaults().toStrings();
        noSeed.remove("seed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.fromCheckpoint(noSeed, "checkpoint"));
        assertTrue(e.getMessage().contains("'seed' has no value"), e.getMessage());
    }

    /** A run written before the scaling keys existed trained with plain averaging at the configured rate. */
    @Test
    void aCheckpointWrittenBeforeTheScalingKeysResumesAsItTrained() {
        Map<String, String> old = defaults().toStrings();
        old.put("workers", "2");
        old.remove("lr.workerScaling");
        old.remove("lr.maxWorkerScale");
        old.remove("outer.lr");
        old.remove("outer.momentum");
        JobConfig resumed = JobConfig.fromCheckpoint(old, "checkpoint");
        assertEquals(wgangp.train.OuterOptimizer.AVERAGING, resumed.outerOptimizer());
        assertEquals(2e-4, resumed.model(784).learningRate());

        // Trained with sqrt scaling before the cap existed: it resumes uncapped.
        Map<String, String> uncapped = defaults().toStrings();
        uncapped.put("workers", "8");
        uncapped.put("lr.workerScaling", "sqrt");
        uncapped.remove("lr.maxWorkerScale");
        assertEquals(2e-4 * Math.sqrt(8), JobConfig.fromCheckpoint(uncapped, "checkpoint").model(784).learningRate(),
                1e-19);
    }

    /**
     * Hand values: 2e-4 · √2 = 2.8284271e-4, 2e-4 · 4 = 8e-4, each multiplier capped by
     * lr.maxWorkerScale (0: no cap); one worker trains with lr itself.
     */
    @Test
    void theLearningRateScalesWithTheWorkers() {
        assertEquals(2.8284271247461906e-4, lr("2", "sqrt", "0"), 1e-19);
        assertEquals(2.8284271247461906e-4, lr("2", "sqrt", "2"), 1e-19);
        assertEquals(8e-4, lr("4", "linear", "0"), 1e-19);
        assertEquals(4e-4, lr("4", "linear", "2"), 1e-19);
        assertEquals(4e-4, lr("2", "linear", "2"), 1e-19);
        assertEquals(6e-4, lr("4", "linear", "3"), 1e-18);
        assertEquals(4e-4, lr("16", "sqrt", "2"), 1e-19);
        assertEquals(2e-4, lr("4", "none", "2"));
        assertEquals(2e-4, lr("4", "linear", "1"));
        for (String scaling : List.of("none", "sqrt", "linear")) {
            assertEquals(2e-4, lr("1", scaling, "0"), scaling);
        }
        assertThrows(IllegalArgumentException.class,
                () -> JobConfig.fromMap(JobConfig.defaults(), Map.of("lr.workerScaling", "square"), "t"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.fromMap(JobConfig.defaults(), Map.of("lr.maxWorkerScale", "0.5"), "t"));
        assertTrue(e.getMessage().contains("lr.maxWorkerScale") && e.getMessage().contains("must be 0 (no limit) or >= 1"),
                e.getMessage());
    }

    /** The defaults: every run of two or more workers trains with lr × 2, one worker with lr. */
    @Test
    void byDefaultMoreThanOneWorkerTrainsWithTwiceTheRate() {
        for (int workers : List.of(2, 3, 4, 8, 64)) {
            assertEquals(4e-4, JobConfig.fromMap(JobConfig.defaults(), Map.of("workers", String.valueOf(workers)), "t")
                    .model(784).learningRate(), 1e-19, workers + " workers");
        }
        assertEquals(2e-4, JobConfig.fromMap(JobConfig.defaults(), Map.of("workers", "1"), "t")
                .model(784).learningRate());
    }

    private static double lr(String workers, String scaling, String maxScale) {
        return JobConfig.fromMap(JobConfig.defaults(), Map.of("workers", workers, "lr.workerScaling", scaling,
                "lr.maxWorkerScale", maxScale), "t").model(784).learningRate();
    }

    @Test
    void theEngineIsNotATrainingKey() {
        JobConfig saved = defaults();
        JobConfig device = JobConfig.fromMap(saved.toStrings(), Map.of("engine", "DEVICE"), "t");
        assertEquals(wgangp.model.Engine.DEVICE, device.engine());
        assertEquals(wgangp.model.Engine.DEVICE, device.model(784).engine());
        assertTrue(device.trainingDifferences(saved).isEmpty());
        assertEquals("device", device.toJson().get("engine"));
    }

    @Test
    void onlyTrainingKeysCountAsDifferencesForResume() {
        JobConfig saved = defaults();
        JobConfig longer = JobConfig.fromMap(saved.toStrings(), Map.of("epochs", "400", "sampleInterval", "5",
                "out", "elsewhere", "data", "hdfs:///mnist"), "t");
        assertTrue(longer.trainingDifferences(saved).isEmpty());
        JobConfig other = JobConfig.fromMap(saved.toStrings(), Map.of("workers", "4", "lr", "0.001"), "t");
        assertEquals(List.of("lr=0.001 (was 2.0E-4)", "workers=4 (was 2)"), other.trainingDifferences(saved));
    }
}
