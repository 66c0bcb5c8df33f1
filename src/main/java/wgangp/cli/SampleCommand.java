package wgangp.cli;

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
        CheckpointGenerator generator = CheckpointGenerator.load(checkpoint, hadoop);
        Checkpoints.Checkpoint cp = generator.checkpoint();
        int rows = generator.rows();
        int cols = generator.cols();
        float[][] images = generator.sample(count, seed);

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
}
