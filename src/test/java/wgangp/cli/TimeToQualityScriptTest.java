package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.data.IdxImages;
import wgangp.data.IdxLabels;
import wgangp.eval.ClassifierStore;
import wgangp.eval.ClassifierTraining;
import wgangp.eval.MnistData;
import wgangp.io.Json;

/**
 * scripts/time-to-quality.sh as documented in docs/scaling.md, in a tiny configuration: a small
 * model, 8 generator steps per worker for 1 and 2 workers, a checkpoint every 4, and a classifier
 * trained here in seconds on a few digits (the real one takes minutes), so that the benchmark
 * cannot stop working unnoticed.
 */
@Tag("integration")
class TimeToQualityScriptTest {
    @TempDir
    Path tmp;

    @Test
    void theBenchmarkTrainsEvaluatesAndReportsEachWorkerCount() throws Exception {
        Path jar = SparkSubmitProcess.classesJar(tmp.resolve("app.jar"));
        Path classifier = tmp.resolve("classifier.zip");
        trainTinyClassifier(classifier);
        Path out = tmp.resolve("ttq");

        List<String> cmd = new ArrayList<>(List.of("bash", "scripts/time-to-quality.sh", "--steps", "8",
                "--workers", "1 2", "--checkpoint-every", "4", "--out", out.toString(), "--count", "50",
                "--classifier", classifier.toString(), "--jar", jar.toString(),
                "--set", "parallelism=averaging", "--set", "outer.lr=1", "--set", "outer.momentum=0.5",
                "--label", "nesterov"));
        for (String arg : TrainingRuns.SMALL) {
            cmd.addAll(List.of("--train-arg", arg));
        }
        cmd.addAll(List.of("--train-arg", "--averaging-frequency", "--train-arg", "2"));
        Path log = tmp.resolve("script.log");
        // Four JVMs (two trainings, two evaluations): a minute or two on a quiet machine.
        assertEquals(0, SparkSubmitProcess.run(cmd, Map.of(), log, 900), SparkSubmitProcess.tail(log, 60));

        for (String run : List.of("n1-base", "n2-nesterov")) {
            for (String step : List.of("step-0000004", "step-0000008")) {
                JsonNode eval = Json.parse(Files.readString(out.resolve(run).resolve("eval").resolve(step + ".json")),
                        step);
                assertTrue(Double.isFinite(eval.get("fid").asDouble()), run + " " + eval);
            }
        }
        JsonNode config = Json.parse(Files.readString(out.resolve("n2-nesterov/config.json")), "config");
        assertEquals(0.5, config.get("outer.momentum").asDouble(), "the keys reach the runs with more workers");

        String table = Files.readString(out.resolve("time-to-quality.md"));
        assertTrue(table.contains("| 4 | ") && table.contains("| 8 | "), table);
        assertTrue(table.contains("n1-base") && table.contains("n2-nesterov"), table);
        assertTrue(table.contains("projection"), "the wall time is labelled as projected:\n" + table);
        byte[] png = Files.readAllBytes(out.resolve("time-to-quality.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG plot");
    }

    /** A classifier from one epoch over 600 training digits: enough to compute an FID with, in seconds. */
    private static void trainTinyClassifier(Path file) throws Exception {
        MnistData mnist = MnistData.read(TrainingRuns.DATA, new Configuration());
        int n = 600;
        IdxImages train = mnist.train();
        IdxImages images = new IdxImages(train.source(), n, train.rows(), train.cols(),
                Arrays.copyOf(train.pixels(), n * train.rows() * train.cols()));
        IdxLabels labels = new IdxLabels(mnist.trainLabels().source(), n,
                Arrays.copyOf(mnist.trainLabels().labels(), n));
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[1]")
                .setAppName("tiny-classifier").set("spark.ui.enabled", "false"))) {
            ClassifierStore.save(FileSystem.getLocal(new Configuration()),
                    new org.apache.hadoop.fs.Path(file.toUri()),
                    new ClassifierTraining(1, 32, 5, 2e-3, 1).train(sc, images, labels));
        }
        assertTrue(Files.isRegularFile(file), file.toString());
    }
}
