package wgangp.cli;

import java.io.File;
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

/**
 * spark-submit as a child JVM without a Spark distribution: a SPARK_HOME that is only {@code jars/}
 * with symlinks to the runtime classpath, the project's classes as the application jar, and
 * {@code java <add-opens> -cp ... org.apache.spark.deploy.SparkSubmit ...}. Needs
 * target/classpath.txt and target/classes, which {@code mvn test} produces before running tests.
 */
final class SparkSubmitProcess {
    static final Path TEST_LOG_CONFIG = Path.of("target/test-classes/log4j2-test.properties").toAbsolutePath();

    private SparkSubmitProcess() {
    }

    /**
     * A Spark installation as far as spark-submit needs one: jars/ with the runtime classpath, plus
     * the jars of this test JVM's classpath whose file names start with one of {@code testJarPrefixes}
     * (test-scope modules such as spark-yarn).
     */
    static Path sparkHome(Path home, String... testJarPrefixes) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        List<String> entries = new ArrayList<>(List.of(
                Files.readString(Path.of("target/classpath.txt")).trim().split(File.pathSeparator)));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            for (String prefix : testJarPrefixes) {
                if (name.startsWith(prefix)) {
                    entries.add(entry);
                }
            }
        }
        Set<String> names = new HashSet<>();
        for (String entry : entries) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && names.add(jar.getFileName().toString())) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        for (String prefix : testJarPrefixes) {
            if (names.stream().noneMatch(n -> n.startsWith(prefix))) {
                throw new IllegalStateException("no " + prefix + "*.jar on the test classpath");
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

    /**
     * {@code java <add-opens> <jvmOptions> -cp <classpath> SparkSubmit <submitArgs>}: the opens are
     * those this JVM was started with (surefire's argLine), which a driver started this way needs itself.
     */
    static List<String> command(List<String> jvmOptions, String classpath, List<String> submitArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(addOpens());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classpath, "org.apache.spark.deploy.SparkSubmit"));
        cmd.addAll(submitArgs);
        return cmd;
    }

    /**
     * Runs {@code cmd} (spark-submit, or a script that starts JVMs of its own) with {@code env} added
     * to this JVM's environment, stdout and stderr into {@code log}; returns the exit code, or stops
     * it and everything it started and fails with the log's tail after {@code timeoutSeconds}.
     */
    static int run(List<String> cmd, Map<String, String> env, Path log, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            throw new AssertionError("the command logging to " + log + " did not finish in " + timeoutSeconds
                    + " s; its log:\n" + tail(log, 80));
        }
        return process.exitValue();
    }

    /** The --add-opens flags this JVM was started with. */
    static List<String> addOpens() {
        List<String> flags = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-Djdk.reflect.useDirectMethodHandle")) {
                flags.add(arg);
            }
        }
        return flags;
    }

    /** The last {@code lines} lines of a text file, or a note that it does not exist. */
    static String tail(Path file, int lines) throws IOException {
        if (!Files.exists(file)) {
            return "(" + file + " does not exist)";
        }
        List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
