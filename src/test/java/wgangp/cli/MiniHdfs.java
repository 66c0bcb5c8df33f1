package wgangp.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real HDFS (one namenode, one datanode) inside the test JVM, its storage under a test folder. */
final class MiniHdfs implements AutoCloseable {
    /** Where {@link #putTrainingImages} puts the bundled training images. */
    static final String DATA = "/data/mnist";

    private final MiniDFSCluster cluster;

    private MiniHdfs(MiniDFSCluster cluster) {
        this.cluster = cluster;
    }

    static MiniHdfs start(Path baseDir) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        return new MiniHdfs(cluster);
    }

    /** {@link #start} with the bundled training images at {@link #DATA}, for training runs on HDFS. */
    static MiniHdfs withTrainingImages(Path baseDir) throws IOException {
        MiniHdfs hdfs = start(baseDir);
        hdfs.putTrainingImages();
        return hdfs;
    }

    FileSystem fs() throws IOException {
        return cluster.getFileSystem();
    }

    /** hdfs://host:port, to prefix absolute paths with. */
    String uri() {
        return cluster.getURI().toString();
    }

    /** Copies the bundled training images to {@link #DATA} on this HDFS. */
    void putTrainingImages() throws IOException {
        String images = "train-images-idx3-ubyte.gz";
        fs().mkdirs(new org.apache.hadoop.fs.Path(DATA));
        fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(Path.of(TrainingRuns.DATA, images).toAbsolutePath().toString()),
                new org.apache.hadoop.fs.Path(DATA, images));
    }

    @Override
    public void close() {
        cluster.shutdown();
    }
}
