package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.Checkpoints;
import wgangp.io.Json;

/**
 * The job as spark-submit runs it, on {@code local-cluster[2,1,1024]}: a driver JVM and two
 * executor JVMs, with {@code spark.rpc.message.maxSize=1} (MB), so a task that carried the state
 * or the data in its closure would fail. Needs target/classpath.txt and target/classes, which
 * {@code mvn test} produces before running tests.
 */
@Tag("integration")
class LocalClusterTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void trainsOnTwoExecutorJvmsWithTinyRpcMessages() throws Exception {
        Path sparkHome = sparkHome(tmp.resolve("spark-home"));
        Path appJar = classesJar(tmp.resolve("app.jar"));
        Path out = tmp.resolve("run");
        Path log = tmp.resolve("driver.log");

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(addOpens());
        cmd.add("-Xmx1g");
        cmd.add("-Dlog4j2.configurationFile=" + Path.of("target/test-classes/log4j2-test.properties").toAbsolutePath());
        cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", "org.apache.spark.deploy.SparkSubmit",
                "--master", "local-cluster[2,1,1024]",
                "--conf", "spark.rpc.message.maxSize=1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executorEnv.OMP_NUM_THREADS=1",
                "--conf", "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=1g"
                        + " -Dlog4j2.configurationFile=" + Path.of("target/test-classes/log4j2-test.properties")
                        .toAbsolutePath(),
                "--class", "WganGpJob", appJar.toString()));
        cmd.addAll(List.of(TrainingRuns.args(out.toString(), "--workers", "2", "--averaging-frequency", "4",
                "--max-critic-iters", "40", "--sample-interval", "4", "--checkpoint-interval", "100")));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("OMP_NUM_THREADS", "1");
        Process driver = pb.start();
        if (!driver.waitFor(240, TimeUnit.SECONDS)) {
            driver.destroyForcibly();
            throw new AssertionError("spark-submit did not finish in 240 s; log:\n" + tail(log));
        }
        String driverLog = tail(log);
        assertEquals(0, driver.exitValue(), () -> "spark-submit failed; log:\n" + driverLog);

        Checkpoints.Checkpoint c = TrainingRuns.latest(out.toString(), new Configuration());
        JsonNode provenance = Json.parse(c.provenanceJson(), "provenance");
        assertTrue(provenance.get("spark_master").asText().startsWith("local-cluster"), provenance.toString());
        assertTrue(Files.exists(out.resolve("samples/progress.gif")));
        // Executors in other JVMs compute exactly what this JVM computes.
        JobConfig config = TrainingRuns.config(Map.of("workers", "2", "averagingFrequency", "4"));
        assertTrue(TrainingRuns.expected(config, 8).sameValues(c.state()));
    }

    /** A Spark installation as far as spark-submit needs one: jars/ with the runtime classpath. */
    static Path sparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        String classpath = Files.readString(Path.of("target/classpath.txt")).trim();
        Set<String> names = new HashSet<>();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && names.add(jar.getFileName().toString())) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        return home;
    }

    /** The application jar: this project's compiled classes and resources. */
    static Path classesJar(Path jar) throws IOException {
        Path classes = Path.of("target/classes").toAbsolutePath();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            Files.walkFileTree(classes, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, (OutputStream) out);
                    out.closeEntry();
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        return jar;
    }

    /** The --add-opens flags this JVM was started with (surefire's argLine), for the driver JVM. */
    static List<String> addOpens() {
        List<String> flags = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-Djdk.reflect.useDirectMethodHandle")) {
                flags.add(arg);
            }
        }
        return flags;
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}
