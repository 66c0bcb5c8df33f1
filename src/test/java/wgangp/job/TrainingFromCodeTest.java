package wgangp.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import wgangp.io.RunAdmission;

/** The README's "Training from code" lines are this test's, and they train a run. */
@Tag("integration")
class TrainingFromCodeTest {
    private static final Path SOURCE = Path.of("src/test/java/wgangp/job/TrainingFromCodeTest.java");
    private static final Path OUT = Path.of("runs/from-code");
    private static final String BEGIN = "// README begins";
    private static final String END = "// README ends";

    @AfterEach
    void removeTheRun() throws IOException {
        if (Files.exists(OUT)) {
            try (Stream<Path> files = Files.walk(OUT)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void theReadmesLinesTrainARun() throws IOException {
        assertEquals(readmeExample(), lines(Files.readString(SOURCE), BEGIN, END),
                "README.md's Training from code example and this test's lines differ");

        // README begins
        JobConfig config = JobConfig.fromMap(JobConfig.defaults(), Map.of("out", "runs/from-code", "batch", "16",
                "maxCriticIters", "40", "latent", "16", "generator.hidden", "32,64", "critic.hidden", "64,32"), "code");
        TrainingJob job = TrainingJob.prepare(config, null, RunAdmission.Intent.OVERWRITE, new Configuration());
        try (JavaSparkContext sc = new JavaSparkContext(job.sparkConf(new SparkConf().setMaster("local[2]")))) {
            TrainingResult result = job.run(sc, () -> false);
            System.out.println(result.stoppedBy() + " at step " + result.finalStep() + ", " + result.lastCheckpoint());
        }
        // README ends

        assertEquals("step-0000008", Files.readString(OUT.resolve("checkpoints/latest")).trim());
        assertTrue(Files.exists(OUT.resolve("metrics.jsonl")) && Files.exists(OUT.resolve("config.json")));
    }

    /** The java block under the README's "## Training from code". */
    private static String readmeExample() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Training from code"));
        return lines(section, "```java", "```");
    }

    /** The lines strictly between the first {@code begin} line and the next {@code end} line, unindented. */
    private static String lines(String text, String begin, String end) {
        List<String> all = text.lines().toList();
        int from = 0;
        while (!all.get(from).strip().equals(begin)) {
            from++;
        }
        int to = from + 1;
        while (!all.get(to).strip().equals(end)) {
            to++;
        }
        List<String> block = all.subList(from + 1, to);
        int indent = block.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return String.join("\n", block.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }
}
