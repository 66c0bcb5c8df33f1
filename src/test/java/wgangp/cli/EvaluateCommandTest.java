package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import wgangp.data.IdxFixtures;
import wgangp.data.IdxImages;
import wgangp.data.IdxReader;
import wgangp.io.Json;

/**
 * {@code evaluate} end to end on {@code local[2]}: a short run trained here, every checkpoint
 * evaluated (which trains the classifier once, with dl4j-spark), then files of samples: the
 * run's own samples, real digits and noise.
 */
@Tag("integration")
@ExtendWith(LocalSparkMaster.class)
class EvaluateCommandTest {
    private static final String HELD_OUT = "data/mnist/t10k-images-idx3-ubyte.gz";
    /**
     * How closely two evaluations of the same images agree: the statistics are summed in the order
     * the partitions finish, and the square roots of the covariance's eigenvalues near zero (dead
     * ReLU features) turn those last-bit differences into ~1e-5 of FID.
     */
    private static final double FID_REPEATABILITY = 1e-4;

    @TempDir
    static Path shared;
    private static Path run;
    private static Path classifier;
    private static FileTime classifierWritten;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainARunAndEvaluateEveryCheckpoint() throws Exception {
        run = shared.resolve("run");
        // 12 generator steps in rounds of 4, checkpoints at 8 and 12
        assertEquals(ExitCodes.OK, Main.run(TrainingRuns.args(run.toString(), "--workers", "2",
                "--segment-steps", "4", "--max-critic-iters", "60", "--checkpoint-interval", "8")));
        classifier = shared.resolve("classifier/mnist-cnn.zip");
        assertEquals(ExitCodes.OK, Main.run("evaluate", "--run", run.toString(), "--every-checkpoint", "--count", "300",
                "--classifier", classifier.toString(), "--seed", "5"));
        assertTrue(Files.isRegularFile(classifier), "the trained classifier is cached");
        classifierWritten = Files.getLastModifiedTime(classifier);
    }

    @AfterAll
    static void clearSparkProperties() {
    }

    /** A dcgan run's checkpoint is evaluated like an MLP run's: its generator comes from its own config. */
    @Test
    void aDcganCheckpointIsEvaluated() throws Exception {
        Path dcgan = tmp.resolve("dcgan");
        assertEquals(ExitCodes.OK, Main.run(TrainingRuns.args(dcgan.toString(), "--set", "model=dcgan", "--set",
                "dcgan.dim=4", "--workers", "1", "--averaging-frequency", "4", "--max-critic-iters", "20")));
        assertEquals(ExitCodes.OK, Main.run("evaluate", "--run", dcgan.toString(), "--count", "200",
                "--classifier", classifier.toString(), "--seed", "5"));
        JsonNode r = read(dcgan.resolve("eval/step-0000004.json"));
        assertEquals(4, r.get("generator_steps").asLong());
        assertEquals(200, r.get("samples").asInt());
        assertTrue(Double.isFinite(r.get("fid").asDouble()) && r.get("fid").asDouble() > r.get("fid_floor").asDouble(),
                "fid " + r);
        assertEquals(classifierWritten, Files.getLastModifiedTime(classifier), "the cached classifier was reused");
    }

    @Test
    void everyCheckpointGetsItsResult() throws Exception {
        for (long step : new long[] {8, 12}) {
            String name = String.format("step-%07d", step);
            JsonNode r = read(run.resolve("eval/" + name + ".json"));
            assertEquals(name, r.get("checkpoint").asText());
            assertEquals(step, r.get("generator_steps").asLong());
            assertEquals(5 * step, r.get("critic_iters").asLong());
            assertEquals(300, r.get("samples").asInt());
            assertEquals(1000, r.get("held_out").asInt());
            assertEquals(5, r.get("seed").asLong());
            assertTrue(r.get("classifier_accuracy").asDouble() >= 0.97, "classifier accuracy " + r);
            double floor = r.get("fid_floor").asDouble();
            // 12 generator steps of a tiny model make blobs, far from digits; 300 real digits are close
            assertTrue(floor > 0 && floor < 20, "floor " + r);
            assertTrue(r.get("fid").asDouble() > 5 * floor, "fid " + r);
            int sum = 0;
            int covered = 0;
            for (JsonNode c : r.get("class_histogram")) {
                sum += c.asInt();
                covered += 100 * c.asInt() >= 300 ? 1 : 0;
            }
            assertEquals(10, r.get("class_histogram").size());
            assertEquals(300, sum);
            assertEquals(covered, r.get("modes_covered").asInt());
            double confidence = r.get("mean_confidence").asDouble();
            assertTrue(confidence >= 0.1 && confidence <= 1, "confidence " + r);
        }
        try (var files = Files.list(run.resolve("eval"))) {
            assertEquals(List.of("step-0000008.json", "step-0000012.json"),
                    files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList());
        }
    }

    @Test
    void aCheckpointsSampleFileScoresAsTheCheckpointDoes() throws Exception {
        Path samples = tmp.resolve("samples.idx.gz");
        assertEquals(ExitCodes.OK, Main.run("sample", "--checkpoint", run.resolve("checkpoints/step-0000012").toString(),
                "--count", "300", "--seed", "5", "--out", samples.toString()));
        JsonNode fromFile = evaluateSamples(samples);
        JsonNode fromRun = read(run.resolve("eval/step-0000012.json"));
        for (String field : List.of("checkpoint", "generator_steps", "critic_iters")) {
            assertTrue(fromFile.get(field).isNull(), field);
        }
        for (String field : List.of("fid", "fid_floor", "mean_confidence", "classifier_accuracy")) {
            assertEquals(fromRun.get(field).asDouble(), fromFile.get(field).asDouble(), FID_REPEATABILITY, field);
        }
        assertEquals(fromRun.get("class_histogram"), fromFile.get("class_histogram"));
        assertEquals(classifierWritten, Files.getLastModifiedTime(classifier), "the cached classifier is reused");
    }

    @Test
    void realDigitsScoreNearTheFloorAndNoiseFarAboveIt() throws Exception {
        Configuration conf = new Configuration();
        IdxImages heldOut = IdxReader.readImages(HELD_OUT, conf);
        IdxImages train = IdxReader.readImages("data/mnist/train-images-idx3-ubyte.gz", conf);

        JsonNode itself = evaluateSamples(write("held-out.idx", heldOut.pixels(), 1000));
        double floor = itself.get("fid_floor").asDouble();
        assertTrue(Math.abs(itself.get("fid").asDouble()) < 1e-3, "held-out against itself: " + itself);
        assertEquals(10, itself.get("modes_covered").asInt());

        // the last 1000 training images, not the seeded subset the floor is measured with
        byte[] lastTrain = java.util.Arrays.copyOfRange(train.pixels(), (train.count() - 1000) * 784, train.count() * 784);
        JsonNode real = evaluateSamples(write("train.idx", lastTrain, 1000));
        assertEquals(floor, real.get("fid_floor").asDouble(), FID_REPEATABILITY);
        assertTrue(real.get("fid").asDouble() < 2 * floor, "real digits: " + real);

        JsonNode shifted = evaluateSamples(write("shifted.idx", shiftRight(heldOut.pixels(), 1000), 1000));
        assertTrue(shifted.get("fid").asDouble() < 10 * floor, "held-out shifted one pixel: " + shifted);

        byte[] noise = new byte[1000 * 784];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) random.nextInt(256);
        }
        JsonNode uniform = evaluateSamples(write("noise.idx", noise, 1000));
        assertTrue(uniform.get("fid").asDouble() > 50 * floor, "uniform noise: " + uniform + ", floor " + floor);
        System.err.printf("FID: held-out itself %.4g, last 1000 train %.3f, floor %.3f, shifted %.3f, noise %.1f%n",
                itself.get("fid").asDouble(), real.get("fid").asDouble(), floor, shifted.get("fid").asDouble(),
                uniform.get("fid").asDouble());
    }

    private JsonNode evaluateSamples(Path samples) throws Exception {
        Path out = tmp.resolve(samples.getFileName() + ".json");
        assertEquals(ExitCodes.OK, Main.run("evaluate", "--samples", samples.toString(), "--out", out.toString(),
                "--classifier", classifier.toString(), "--seed", "5"));
        return read(out);
    }

    private Path write(String name, byte[] pixels, int count) throws Exception {
        return Files.write(tmp.resolve(name), IdxFixtures.idx(IdxFixtures.IMAGES_MAGIC, new int[] {count, 28, 28}, pixels));
    }

    /** Every image moved one pixel to the right, the first column left blank. */
    private static byte[] shiftRight(byte[] pixels, int count) {
        byte[] out = new byte[count * 784];
        for (int i = 0; i < count; i++) {
            for (int r = 0; r < 28; r++) {
                System.arraycopy(pixels, i * 784 + r * 28, out, i * 784 + r * 28 + 1, 27);
            }
        }
        return out;
    }

    private static JsonNode read(Path file) throws Exception {
        JsonNode json = Json.parse(Files.readString(file), file.toString());
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("checkpoint", "generator_steps", "critic_iters", "samples", "held_out", "fid", "fid_floor",
                "class_histogram", "modes_covered", "mean_confidence", "classifier_accuracy", "seed"), names, file.toString());
        return json;
    }
}
