package wgangp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import wgangp.data.InvalidDataException;
import wgangp.io.Checkpoints;
import wgangp.io.Json;
import wgangp.io.RunDirectory;
import wgangp.job.ConfigSources;
import wgangp.job.JobConfig;
import wgangp.train.SampleNoise;
import wgangp.train.WganGpConfig;

/**
 * A checkpoint's generator, ready to draw images: the checkpoint, the model its saved config
 * describes, and the image size its provenance records.
 */
record CheckpointGenerator(Checkpoints.Checkpoint checkpoint, WganGpConfig model, int rows, int cols) {

    /**
     * The checkpoint at {@code uri}: a {@code checkpoints/step-NNNNNNN} directory, or a run
     * directory (its latest complete checkpoint). A missing, incomplete or damaged checkpoint is
     * an {@link InvalidDataException} naming it.
     */
    static CheckpointGenerator load(String uri, Configuration hadoop) {
        Path path = new Path(uri);
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            if (!fs.exists(path)) {
                throw new InvalidDataException(uri + " does not exist; pass a run directory or one of its"
                        + " checkpoints/step-NNNNNNN directories.");
            }
            if (path.getName().startsWith("step-")) {
                try {
                    return of(new Checkpoints(fs, path.getParent()).load(path.getName()));
                } catch (IOException e) {
                    throw new InvalidDataException("checkpoint " + fs.makeQualified(path) + " cannot be used: "
                            + e.getMessage() + ".", e);
                }
            }
            return of(RunDirectory.at(uri, hadoop).checkpoints().loadLatest().orElseThrow(() ->
                    new InvalidDataException(uri + " holds no complete checkpoint (checkpoints/step-NNNNNNN with a"
                            + " valid MANIFEST).")));
        } catch (IOException e) {
            throw new InvalidDataException(uri + " cannot be read (" + e.getMessage() + ").", e);
        }
    }

    static CheckpointGenerator of(Checkpoints.Checkpoint cp) {
        JsonNode provenance = Json.parse(cp.provenanceJson(), "provenance.json of " + cp.name());
        int rows = provenance.path("image_rows").asInt(28);
        int cols = provenance.path("image_cols").asInt(28);
        String source = "checkpoint " + cp.name();
        JobConfig job = JobConfig.fromCheckpoint(ConfigSources.json(cp.configJson(), source), source);
        return new CheckpointGenerator(cp, job.model(rows * cols), rows, cols);
    }

    /** {@code count} images from the generator in inference mode, latent noise drawn from {@code seed}. */
    float[][] sample(int count, long seed) {
        return SampleNoise.images(model, checkpoint.state(), SampleNoise.draw(count, model.generator().latentSize(), seed));
    }
}
