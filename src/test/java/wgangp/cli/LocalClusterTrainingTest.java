package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.Checkpoints;
import wgangp.io.Json;
import wgangp.job.JobConfig;
import wgangp.train.States;

/**
 * The job as spark-submit runs it, on {@code local-cluster[2,1,1024]}: a driver JVM and two
 * executor JVMs, with {@code spark.rpc.message.maxSize=1} (MB), so a task that carried the state
 * or the data in its closure would fail.
 */
@Tag("integration")
class LocalClusterTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void trainsOnTwoExecutorJvmsWithTinyRpcMessages() throws Exception {
        Path sparkHome = SparkSubmitProcess.sparkHome(tmp.resolve("spark-home"));
        Path appJar = SparkSubmitProcess.classesJar(tmp.resolve("app.jar"));
        Path out = tmp.resolve("run");
        Path log = tmp.resolve("driver.log");

        List<String> submitArgs = new ArrayList<>(List.of(
                "--master", "local-cluster[2,1,1024]",
                "--conf", "spark.rpc.message.maxSize=1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executorEnv.OMP_NUM_THREADS=1",
                "--conf", "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=1g"
                        + " -Dlog4j2.configurationFile=" + SparkSubmitProcess.TEST_LOG_CONFIG,
                "--class", "WganGpJob", appJar.toString()));
        submitArgs.addAll(List.of(TrainingRuns.args(out.toString(), "--workers", "2", "--segment-steps", "4",
                "--max-critic-iters", "40", "--sample-interval", "4", "--checkpoint-interval", "100")));
        List<String> cmd = SparkSubmitProcess.command(
                List.of("-Xmx1g", "-Dlog4j2.configurationFile=" + SparkSubmitProcess.TEST_LOG_CONFIG),
                sparkHome.resolve("jars") + "/*", submitArgs);
        int exit = SparkSubmitProcess.run(cmd,
                Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.12", "OMP_NUM_THREADS", "1"),
                log, 240);
        String driverLog = SparkSubmitProcess.tail(log, 80);
        assertEquals(0, exit, () -> "spark-submit failed; log:\n" + driverLog);

        Checkpoints.Checkpoint c = TrainingRuns.latest(out.toString(), new Configuration());
        JsonNode provenance = Json.parse(c.provenanceJson(), "provenance");
        assertTrue(provenance.get("spark_master").asText().startsWith("local-cluster"), provenance.toString());
        assertTrue(Files.exists(out.resolve("samples/progress.gif")));
        // Executors in other JVMs compute exactly what this JVM computes.
        JobConfig config = TrainingRuns.config(Map.of("workers", "2", "segmentSteps", "4"));
        assertTrue(States.sameValues(TrainingRuns.expected(config, 8), c.state()));
    }
}
