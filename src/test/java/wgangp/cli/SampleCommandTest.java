package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgangp.data.IdxImages;
import wgangp.data.IdxReader;
import wgangp.io.Checkpoints;
import wgangp.io.Json;
import wgangp.job.JobConfig;
import wgangp.train.SampleNoise;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;
import wgangp.train.WganGpStep;

/** {@code sample} writes what the checkpoint's generator makes, in inference mode, as IDX or a PNG grid. */
class SampleCommandTest {

    @Test
    void writesTheGeneratorsImagesAsIdxAndAsAGrid(@TempDir Path dir) throws Exception {
        JobConfig job = TrainingRuns.config(Map.of());
        WganGpConfig model = job.model(28 * 28);
        TrainingState state = WganGpStep.initialState(model, 3);
        Checkpoints checkpoints = new Checkpoints(FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(dir.resolve("run/checkpoints").toUri()));
        String name = checkpoints.write(state, new float[model.generator().latentSize()], model.generator().latentSize(),
                Json.pretty(job.toJson()), "{\"image_rows\": 28, \"image_cols\": 28}");

        Path idx = dir.resolve("out/samples.idx.gz");
        assertEquals(ExitCodes.OK, Main.run("sample", "--checkpoint", dir.resolve("run").toString(), "--count", "7",
                "--seed", "5", "--out", idx.toString()));
        IdxImages images = IdxReader.readImages(idx.toString(), new Configuration());
        assertEquals(7, images.count());
        assertEquals(28, images.rows());

        // the same z through the generator in inference mode, quantised as the reference script does
        float[] z = SampleNoise.draw(7, model.generator().latentSize(), 5);
        float[][] expected = SampleNoise.images(model, state, z);
        for (int k = 0; k < 7; k++) {
            for (int p = 0; p < 784; p += 97) {
                int want = Math.round(Math.max(0f, Math.min(255f, (expected[k][p] + 1f) * 127.5f)));
                assertEquals(want, images.pixel(k, p), "image " + k + " pixel " + p);
            }
        }

        Path png = dir.resolve("grid.png");
        assertEquals(ExitCodes.OK, Main.run("sample", "--checkpoint", dir.resolve("run/checkpoints/" + name).toString(),
                "--count", "9", "--out", png.toString()));
        BufferedImage grid = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
        assertTrue(grid.getWidth() >= 3 * 28 && grid.getWidth() < 4 * 28, "a 3x3 grid, width " + grid.getWidth());

        assertEquals(ExitCodes.BAD_INPUT, Main.run("sample", "--checkpoint", dir.resolve("nowhere").toString(),
                "--out", png.toString()));
    }
}
