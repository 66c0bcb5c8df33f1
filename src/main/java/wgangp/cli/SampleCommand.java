package wgangp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import wgangp.io.AtomicFiles;
import wgangp.io.Checkpoints;
import wgangp.io.IdxWriter;
import wgangp.io.ImageGrid;
import wgangp.io.RunDirectory;
import wgangp.train.SampleNoise;
import wgangp.train.WganGpConfig;

/**
 * {@code sample}: images from a checkpoint's generator, BatchNorm in inference mode (running
 * statistics), written as IDX (the format the data came in) or as a PNG grid, on any Hadoop FS.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Generate images from a checkpoint: IDX (.gz allowed) or, for an --out ending in .png, a grid.")
final class SampleCommand implements Callable<Integer> {
    private static final int GRID_PADDING = 2;

    @Option(names = "--checkpoint", required = true, paramLabel = "URI",
            description = "a checkpoint directory (…/checkpoints/step-NNNNNNN) or a run directory (its latest checkpoint)")
    String checkpoint;

    @Option(names = "--count", defaultValue = "25", paramLabel = "N", description = "images (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--out", required = true, paramLabel = "URI", description = "output file: *.png, *.idx, *.gz, …")
    String out;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "seed of the latent noise (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1, got " + count);
        }
        Configuration hadoop = new Configuration();
        Checkpoints.Checkpoint cp = load(hadoop);
        JsonNode provenance = new ObjectMapper().readTree(cp.provenanceJson());
        int rows = provenance.path("image_rows").asInt(28);
        int cols = provenance.path("image_cols").asInt(28);
        String source = "checkpoint " + cp.name();
        JobConfig job = JobConfig.fromCheckpoint(ConfigSources.json(cp.configJson(), source), source);
        WganGpConfig model = job.model(rows * cols);

        float[] z = SampleNoise.draw(count, model.generator().latentSize(), seed);
        float[][] images = SampleNoise.images(model, cp.state(), z);

        Path target = new Path(out);
        FileSystem fs = target.getFileSystem(hadoop);
        byte[] bytes;
        if (out.endsWith(".png")) {
            int side = (int) Math.ceil(Math.sqrt(count));
            bytes = ImageGrid.png(images, rows, cols, (count + side - 1) / side, side, GRID_PADDING);
        } else {
            bytes = IdxWriter.images(images, rows, cols, out.endsWith(".gz"));
        }
        AtomicFiles.write(fs, target, bytes);
        System.out.println(fs.makeQualified(target) + ": " + count + " images from " + cp.name()
                + " (step " + cp.state().generatorSteps() + ")");
        return ExitCodes.OK;
    }

    private Checkpoints.Checkpoint load(Configuration hadoop) throws java.io.IOException {
        Path path = new Path(checkpoint);
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.exists(path)) {
            throw new IllegalArgumentException("--checkpoint " + checkpoint + " does not exist");
        }
        if (path.getName().startsWith("step-")) {
            return new Checkpoints(fs, path.getParent()).load(path.getName());
        }
        return RunDirectory.at(checkpoint, hadoop).checkpoints().loadLatest().orElseThrow(() ->
                new IllegalArgumentException("--checkpoint " + checkpoint + " holds no complete checkpoint"));
    }
}
