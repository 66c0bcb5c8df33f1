package wgangp.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static wgangp.data.IdxFixtures.gzip;
import static wgangp.data.IdxFixtures.images;
import static wgangp.data.IdxFixtures.labels;
import static wgangp.data.IdxFixtures.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLocationTest {

    private static final Configuration CONF = new Configuration();

    @TempDir
    Path dir;

    @Test
    void bundledDirectoryResolvesToQualifiedGzipFiles() {
        DataLocation location = DataLocation.resolve(IdxFixtures.BUNDLED.toString(), CONF);

        assertEquals(uri(IdxFixtures.BUNDLED.resolve("train-images-idx3-ubyte.gz")), location.images());
        assertEquals(Optional.of(uri(IdxFixtures.BUNDLED.resolve("train-labels-idx1-ubyte.gz"))), location.labels());
        assertEquals(9000, IdxReader.readImages(location.images(), CONF).count());
    }

    @Test
    void directoryWithOnlyRawImagesHasNoLabels() throws IOException {
        Path images = write(dir, "train-images-idx3-ubyte", images(1, 2, 2));
        write(dir, "t10k-labels-idx1-ubyte", labels(1));

        DataLocation location = DataLocation.resolve(dir.toUri().toString(), CONF);

        assertEquals(uri(images), location.images());
        assertEquals(Optional.empty(), location.labels());
    }

    @Test
    void directoryPrefersTheUncompressedCopy() throws IOException {
        Path raw = write(dir, "train-images-idx3-ubyte", images(1, 2, 2));
        write(dir, "train-images-idx3-ubyte.gz", gzip(images(1, 2, 2)));

        assertEquals(uri(raw), DataLocation.resolve(dir.toString(), CONF).images());
    }

    @Test
    void directoryWithoutImagesNamesItAndTheFilesItLookedFor() throws IOException {
        write(dir, "t10k-images-idx3-ubyte.gz", gzip(images(1, 2, 2)));

        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> DataLocation.resolve(dir.toString(), CONF));

        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte nor train-images-idx3-ubyte.gz"),
                e.getMessage());
    }

    @Test
    void imageFileFindsLabelsBesideIt() {
        Path images = IdxFixtures.BUNDLED.resolve("t10k-images-idx3-ubyte.gz");

        DataLocation location = DataLocation.resolve(images.toString(), CONF);

        assertEquals(uri(images), location.images());
        assertEquals(Optional.of(uri(IdxFixtures.BUNDLED.resolve("t10k-labels-idx1-ubyte.gz"))), location.labels());
    }

    @Test
    void imageFileFindsLabelsCompressedDifferently() throws IOException {
        Path images = write(dir, "fashion-images-idx3-ubyte.gz", gzip(images(1, 2, 2)));
        Path labels = write(dir, "fashion-labels-idx1-ubyte", labels(1));

        assertEquals(Optional.of(uri(labels)), DataLocation.resolve(images.toString(), CONF).labels());
    }

    @Test
    void imageFileWithoutLabelsBesideIt() throws IOException {
        Path images = write(dir, "train-images-idx3-ubyte", images(1, 2, 2));
        Path unrelated = write(dir, "digits.idx", images(1, 2, 2));
        Files.createDirectory(dir.resolve("train-labels-idx1-ubyte"));

        assertEquals(Optional.empty(), DataLocation.resolve(images.toString(), CONF).labels());
        assertEquals(new DataLocation(uri(unrelated), Optional.empty()),
                DataLocation.resolve(unrelated.toString(), CONF));
    }

    @Test
    void missingPathDoesNotExist() {
        Path missing = dir.resolve("mnist");

        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> DataLocation.resolve(missing.toString(), CONF));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aLocationWhoseStatusCannotBeReadIsNamed() throws IOException {
        write(dir, "train-images-idx3-ubyte", images(1, 2, 2));
        String location = UnreadableFileSystem.withoutStatus(dir);

        InvalidDataException e = assertThrows(InvalidDataException.class, () -> DataLocation.resolve(location, CONF));

        assertTrue(e.getMessage().startsWith("Training data location " + location + " cannot be read (Permission"),
                e.getMessage());
    }

    /** Hadoop's spelling of a local file: file:/abs/path, one slash. */
    private static String uri(Path file) {
        return "file:" + file.toAbsolutePath().normalize();
    }
}
