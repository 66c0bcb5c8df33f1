package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.network.util.JavaUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * conf/spark-yarn.conf's memory settings fit together for the driver and the executors: JavaCPP's
 * cap on the process's resident memory leaves room for the whole heap plus ND4J's off-heap arrays,
 * and stays below the YARN container, so JavaCPP reports a clear OutOfMemoryError before YARN kills
 * the container without one. YarnTrainingTest runs the file on a YARN cluster.
 */
class SparkYarnConfTest {
    private static final Path FILE = Path.of("conf/spark-yarn.conf");

    @ParameterizedTest
    @ValueSource(strings = {"driver", "executor"})
    void offHeapLimitsFitHeapAndContainer(String role) throws IOException {
        Properties conf = load();
        long heap = bytes(conf, "spark." + role + ".memory");
        long overhead = bytes(conf, "spark." + role + ".memoryOverhead");
        String javaOptions = conf.getProperty("spark." + role + ".extraJavaOptions");
        assertNotNull(javaOptions, "spark." + role + ".extraJavaOptions in " + FILE);
        long maxBytes = javacpp(javaOptions, "maxbytes");
        long maxPhysicalBytes = javacpp(javaOptions, "maxphysicalbytes");

        assertTrue(heap + maxBytes <= maxPhysicalBytes, role + ": heap " + heap + " + maxbytes " + maxBytes
                + " exceed maxphysicalbytes " + maxPhysicalBytes);
        assertTrue(maxPhysicalBytes < heap + overhead, role + ": maxphysicalbytes " + maxPhysicalBytes
                + " is not below the container, " + (heap + overhead));
        assertTrue(overhead >= maxBytes, role + ": memoryOverhead " + overhead + " does not cover maxbytes " + maxBytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark.serializer=org.apache.spark.serializer.JavaSerializer", "spark.master=yarn",
        "spark.executor.cores=1", "spark.task.cpus=1", "spark.yarn.maxAppAttempts=1"})
    void setsWhatTheJobNeeds(String setting) throws IOException {
        String[] kv = setting.split("=", 2);
        assertEquals(kv[1], load().getProperty(kv[0]), kv[0] + " in " + FILE);
    }

    private static Properties load() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(FILE)) {
            p.load(in);
        }
        return p;
    }

    private static long bytes(Properties conf, String key) {
        String value = conf.getProperty(key);
        assertNotNull(value, key + " in " + FILE);
        // Spark reads memory sizes without a unit as MiB.
        return JavaUtils.byteStringAsBytes(value.matches("\\d+") ? value + "m" : value);
    }

    private static long javacpp(String javaOptions, String name) {
        Matcher m = Pattern.compile("-Dorg\\.bytedeco\\.javacpp\\." + name + "=(\\S+)").matcher(javaOptions);
        assertTrue(m.find(), "no org.bytedeco.javacpp." + name + " in " + javaOptions);
        return JavaUtils.byteStringAsBytes(m.group(1));
    }
}
