package wgangp.job;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import wgangp.data.DataLocation;
import wgangp.data.IdxImages;
import wgangp.data.IdxReader;
import wgangp.data.Shard;
import wgangp.data.Shards;
import wgangp.model.Architecture;
import wgangp.model.DcganSpec;
import wgangp.train.Seeds;

/** The images a run trains on, validated against its configuration, and their shards, one per worker. */
public record TrainingData(DataLocation location, IdxImages images, List<Shard> shards) {

    /** Reads {@code config}'s data; refuses labels that do not match, a shape dcgan cannot take, too small a shard. */
    public static TrainingData read(JobConfig config, Configuration hadoop) throws IOException {
        DataLocation location = DataLocation.resolve(config.data(), hadoop);
        IdxImages images = IdxReader.readImages(location.images(), hadoop);
        if (location.labels().isPresent()) {
            // Training ignores the labels, but labels that do not match the images mean the wrong files.
            IdxReader.checkSameCount(images, IdxReader.readLabels(location.labels().get(), hadoop));
        }
        if (config.model() == Architecture.DCGAN) {
            DcganSpec.requireImageShape(images.rows(), images.cols(), images.source());
        }
        int smallestShard = images.count() / config.workers();
        if (config.batch() > smallestShard) {
            throw new IllegalArgumentException("batch=" + config.batch() + " is larger than the smallest shard, "
                    + smallestShard + " images (" + images.count() + " images in " + images.source() + " over "
                    + config.workers() + " workers); lower batch or workers");
        }
        return new TrainingData(location, images, Shards.split(images, config.workers(), Seeds.shards(config.seed())));
    }
}
