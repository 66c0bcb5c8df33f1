package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.Checkpoints;
import wgangp.io.Json;
import wgangp.model.kernels.OneDnn;
import wgangp.train.BlasKernel;
import wgangp.train.States;
import wgangp.train.TrainingState;

/**
 * {@code WganGpJob train} submitted to YARN with spark-submit, in cluster and in client deploy
 * mode: MiniDFSCluster + MiniYARNCluster in this JVM, the submitting JVM, the ApplicationMaster and
 * two one-core executors as separate JVMs. The IDX files are read from HDFS and every output is
 * written there. Memory, off-heap limits and serializer come from conf/spark-yarn.conf as it is;
 * only its number of executors is lowered on the command line (which takes precedence over the
 * properties file). The NodeManager does not police memory, so the containers' sizes cost nothing.
 *
 * <p>Each run is 2 workers × 40 critic iterations of a small model. It must finish with final status
 * SUCCEEDED, its driver must run where the deploy mode puts it, and HDFS must hold config.json,
 * provenance.json naming the YARN application, the sample grids as decodable 148×148 PNGs,
 * progress.gif, one metrics.jsonl line per round with finite losses, and a latest checkpoint that
 * loads through its manifest with 8 generator and 40 critic steps and, bit for bit, the state of the
 * same rounds computed in this JVM without Spark. A failed check's message carries the tail of
 * spark-submit's log and of every container's log, since the cause is usually in one of those. Most
 * of the test's minutes go to starting the clusters and four JVMs per deploy mode (spark-submit,
 * ApplicationMaster, two executors); the Spark jobs themselves take seconds.
 *
 * <p>That bit-for-bit equality needs one BLAS kernel in every JVM, and YARN containers do not
 * inherit the submitting environment: it holds only because the job carries the kernel to its
 * driver and executors itself. .ci/run runs this test once more with OPENBLAS_CORETYPE flipped
 * (removed where the host sets it, set to Sandybridge where not).
 */
@Tag("integration")
class YarnTrainingTest {
    /** Two rounds of 4 generator steps: 8 steps, 40 critic iterations per worker. */
    private static final List<String> RUN = List.of("--workers", "2", "--segment-steps", "4",
            "--max-critic-iters", "40", "--sample-interval", "4", "--checkpoint-interval", "4");
    private static final int STEPS = 8;
    /** A 5x5 grid of 28x28 digits with 2 pixels between them. */
    private static final int GRID_PIXELS = 5 * 28 + 4 * 2;
    private static final String HDFS_DATA = "hdfs:///data/mnist";
    private static final Path YARN_CONF = Path.of("conf/spark-yarn.conf").toAbsolutePath();

    @TempDir
    static Path tmp;
    static YarnMiniCluster cluster;
    static Path sparkHome;
    static Path appJar;
    static TrainingState expected;

    @BeforeAll
    static void startClusters() throws Exception {
        long start = System.nanoTime();
        cluster = YarnMiniCluster.start(tmp.resolve("cluster"), "yarn-training-test");
        FileSystem fs = cluster.fs();
        org.apache.hadoop.fs.Path data = new org.apache.hadoop.fs.Path("/data/mnist");
        fs.mkdirs(data);
        try (DirectoryStream<Path> idx = Files.newDirectoryStream(Path.of(TrainingRuns.DATA), "*-ubyte.gz")) {
            for (Path file : idx) {
                fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(file.toAbsolutePath().toString()),
                        new org.apache.hadoop.fs.Path(data, file.getFileName().toString()));
            }
        }
        sparkHome = SparkSubmitProcess.sparkHome(tmp.resolve("spark-home"), "spark-yarn_");
        // -Dwgangp.yarnAppJar=target/…-all.jar submits the shaded jar instead, to time its upload
        // ("Uploading resource" in the spark-submit logs under target/yarn-test-logs)
        String shaded = System.getProperty("wgangp.yarnAppJar");
        appJar = shaded == null ? SparkSubmitProcess.classesJar(tmp.resolve("app.jar")) : Path.of(shaded).toAbsolutePath();
        // What the two executors must end with: the same rounds computed in this JVM without Spark.
        expected = TrainingRuns.expected(TrainingRuns.config(Map.of("workers", "2", "segmentSteps", "4")), STEPS);
        System.out.printf("HDFS and YARN up, data in HDFS, expected state computed in %.1f s%n",
                (System.nanoTime() - start) / 1e9);
    }

    @AfterAll
    static void stopClusters() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void trainsInClusterDeployMode() throws Exception {
        trainOnYarn("cluster");
    }

    @Test
    void trainsInClientDeployMode() throws Exception {
        trainOnYarn("client");
    }

    /** Submits a short run in {@code deployMode}, then checks the application and what it left in HDFS. */
    private static void trainOnYarn(String deployMode) throws Exception {
        String appName = "wgan-gp-yarn-" + deployMode;
        String out = "hdfs:///runs/" + deployMode;
        Path log = tmp.resolve("spark-submit-" + deployMode + ".log");
        boolean client = deployMode.equals("client");
        String javaHome = System.getProperty("java.home");

        List<String> submitArgs = new ArrayList<>(List.of(
                "--master", "yarn", "--deploy-mode", deployMode, "--name", appName,
                "--properties-file", YARN_CONF.toString(), "--num-executors", "2",
                // The jars are on this host already: no 350 MB upload per application.
                "--conf", "spark.yarn.jars=local:" + sparkHome.resolve("jars") + "/*",
                "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome,
                "--conf", "spark.executorEnv.JAVA_HOME=" + javaHome,
                "--conf", "spark.ui.enabled=false"));
        // What submit.sh forwards: the submitting shell's BLAS variables, which decide the run's
        // kernel, to the driver's container in cluster mode (in client mode the driver is here).
        BlasKernel.environment(BlasKernel.fromEnvironment(), System.getenv()).forEach((name, value) -> {
            if (System.getenv(name) != null) {
                submitArgs.addAll(List.of("--conf", "spark.yarn.appMasterEnv." + name + "=" + value));
            }
        });
        submitArgs.addAll(List.of("--class", "WganGpJob", appJar.toString()));
        List<String> job = new ArrayList<>(Arrays.asList(TrainingRuns.args(out)));
        job.set(job.indexOf(TrainingRuns.DATA), HDFS_DATA);
        job.addAll(RUN);
        submitArgs.addAll(job);

        // In client mode the submitting JVM is the driver, started here rather than by the
        // spark-submit script: it gets the file's driver heap and options itself.
        Path logConfig = SparkSubmitProcess.TEST_LOG_CONFIG;
        if (System.getProperty("wgangp.yarnAppJar") != null) {
            // the YARN client's INFO lines time the upload
            logConfig = tmp.resolve("log4j2-upload.properties");
            Files.writeString(logConfig, Files.readString(SparkSubmitProcess.TEST_LOG_CONFIG)
                    + "\nlogger.client.name = org.apache.spark.deploy.yarn.Client\nlogger.client.level = info\n");
        }
        List<String> jvm = new ArrayList<>(List.of("-Dlog4j2.configurationFile=" + logConfig));
        if (client) {
            Properties yarnConf = new Properties();
            try (Reader in = Files.newBufferedReader(YARN_CONF)) {
                yarnConf.load(in);
            }
            jvm.add("-Xmx" + yarnConf.getProperty("spark.driver.memory"));
            jvm.addAll(Arrays.asList(yarnConf.getProperty("spark.driver.extraJavaOptions").trim().split("\\s+")));
        } else {
            jvm.add("-Xmx512m");
        }
        List<String> cmd = SparkSubmitProcess.command(jvm,
                cluster.confDir() + java.io.File.pathSeparator + sparkHome.resolve("jars") + "/*", submitArgs);
        Map<String, String> env = Map.of("HADOOP_CONF_DIR", cluster.confDir().toString(),
                "YARN_CONF_DIR", cluster.confDir().toString(), "SPARK_HOME", sparkHome.toString(),
                "SPARK_SCALA_VERSION", "2.12", "JAVA_HOME", javaHome, "OMP_NUM_THREADS", "1");

        try {
            long start = System.nanoTime();
            int exit = SparkSubmitProcess.run(cmd, env, log, 240);
            System.out.printf("%s mode: spark-submit finished in %.1f s%n", deployMode,
                    (System.nanoTime() - start) / 1e9);
            assertEquals(0, exit, "spark-submit's exit code");
            if (System.getProperty("wgangp.yarnAppJar") != null) {
                Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                        .filter(line -> line.matches(".*(Preparing resources|Uploading resource|Submitting application).*"))
                        .forEach(line -> System.out.println(deployMode + " mode: " + line));
            }
            Optional<ApplicationReport> report = cluster.finalReport(appName, Duration.ofSeconds(60));
            assertTrue(report.isPresent(), "no finished YARN application named " + appName + "; the ResourceManager"
                    + " knows " + cluster.applications());
            ApplicationReport app = report.get();
            assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus(), app.getDiagnostics());
            String appId = app.getApplicationId().toString();
            // The driver ran where the deploy mode puts it: in the submitting JVM, or in the AM's container.
            // All of it is searched: Spark's shutdown may print stack traces of any length after the
            // last line of the run (RPC callbacks rejected by a pool already terminated).
            Path driverLog = client ? log : cluster.containerLogDirs(appId).get(0).resolve("stderr");
            String driverOutput = Files.readString(driverLog, StandardCharsets.ISO_8859_1);
            assertTrue(driverOutput.contains("done: " + STEPS + " generator steps"), "the driver's output ends:\n"
                    + SparkSubmitProcess.tail(driverLog, 200));
            checkRun(new org.apache.hadoop.fs.Path(out), appId);
        } catch (AssertionError | Exception e) {
            Optional<String> appId = cluster.applicationId(appName);
            throw new AssertionError(deployMode + " mode: " + e.getMessage() + "\n--- spark-submit log ---\n"
                    + SparkSubmitProcess.tail(log, 60) + "\n"
                    + (appId.isEmpty() ? "(no YARN application named " + appName + ")"
                            : cluster.containerLogTails(appId.get(), 60)), e);
        }
    }

    /** What a finished run must have written to HDFS. */
    private static void checkRun(org.apache.hadoop.fs.Path run, String appId) throws IOException {
        FileSystem fs = run.getFileSystem(cluster.fs().getConf());

        JsonNode config = Json.parse(text(fs, new org.apache.hadoop.fs.Path(run, "config.json")), "config.json");
        assertEquals(HDFS_DATA, config.get("data").asText());
        assertEquals(2, config.get("workers").asInt());
        assertEquals(40, config.get("maxCriticIters").asInt());
        JsonNode provenance = Json.parse(text(fs, new org.apache.hadoop.fs.Path(run, "provenance.json")),
                "provenance.json");
        assertEquals("yarn", provenance.get("spark_master").asText());
        assertEquals(appId, provenance.get("spark_application_id").asText());
        // The kernel the submitting environment names (or Haswell), in the driver's container as
        // in the executors' (each task checked its own), and the one this JVM computed `expected` with.
        assertEquals(BlasKernel.fromEnvironment(), config.get("blas.coreType").asText());
        assertEquals(BlasKernel.inUse().orElseThrow(), provenance.get("blas_core_type").asText());
        // oneDNN's instruction set: the best of the driver's CPU (this host's), resolved once and saved
        assertEquals(OneDnn.best().key(), config.get("dnnl.isa").asText());
        assertEquals(OneDnn.inUse().key(), provenance.get("dnnl_isa").asText());

        List<String> samples = Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(run, "samples")))
                .map(FileStatus::getPath).map(org.apache.hadoop.fs.Path::getName).sorted().toList();
        assertEquals(List.of("000_0000004.png", "000_0000008.png", "progress.gif"), samples);
        for (String png : samples.subList(0, 2)) {
            BufferedImage grid = ImageIO.read(new ByteArrayInputStream(
                    bytes(fs, new org.apache.hadoop.fs.Path(run, "samples/" + png))));
            assertNotNull(grid, png + " is not a PNG");
            assertEquals(GRID_PIXELS, grid.getWidth(), png);
            assertEquals(GRID_PIXELS, grid.getHeight(), png);
        }

        Checkpoints.Checkpoint checkpoint = TrainingRuns.latest(run.toString(), fs.getConf());
        assertEquals(Checkpoints.name(STEPS), checkpoint.name());
        assertEquals(STEPS, checkpoint.state().generatorSteps());
        assertEquals(STEPS * 5, checkpoint.state().criticSteps());
        assertTrue(States.sameValues(expected, checkpoint.state()),
                "the YARN executors' final state differs from the same rounds computed without Spark");

        String[] metrics = text(fs, new org.apache.hadoop.fs.Path(run, "metrics.jsonl")).split("\n");
        assertEquals(2, metrics.length, "one metrics line per round");
        for (int round = 0; round < metrics.length; round++) {
            JsonNode line = Json.parse(metrics[round], "metrics.jsonl line " + (round + 1));
            assertEquals(4L * (round + 1), line.get("step").asLong());
            for (String loss : List.of("critic_loss", "wasserstein_estimate", "gradient_penalty", "generator_loss")) {
                assertTrue(line.get(loss).isNumber() && Double.isFinite(line.get(loss).asDouble()),
                        loss + " in " + metrics[round]);
            }
        }
    }

    private static byte[] bytes(FileSystem fs, org.apache.hadoop.fs.Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }

    private static String text(FileSystem fs, org.apache.hadoop.fs.Path file) throws IOException {
        return new String(bytes(fs, file), StandardCharsets.UTF_8);
    }
}
