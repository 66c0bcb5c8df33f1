package wgangp.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * An HDFS (one DataNode) and a YARN cluster (one ResourceManager, one NodeManager) in this JVM,
 * and a Hadoop configuration folder for clients in other JVMs ({@link #confDir()}: core-site.xml
 * and yarn-site.xml, for HADOOP_CONF_DIR and the submitting JVM's classpath). Containers are
 * separate JVMs started by the NodeManager on this host.
 */
final class YarnMiniCluster implements AutoCloseable {
    private static final List<YarnApplicationState> FINAL_STATES = List.of(YarnApplicationState.FINISHED,
            YarnApplicationState.FAILED, YarnApplicationState.KILLED);

    private final MiniDFSCluster dfs;
    private final MiniYARNCluster yarn;
    private final YarnClient client;
    private final Path confDir;

    private YarnMiniCluster(MiniDFSCluster dfs, MiniYARNCluster yarn, YarnClient client, Path confDir) {
        this.dfs = dfs;
        this.yarn = yarn;
        this.client = client;
        this.confDir = confDir;
    }

    /** Starts both clusters with their data under {@code baseDir}; {@code name} names YARN's work folder in target/. */
    static YarnMiniCluster start(Path baseDir, String name) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.resolve("dfs").toString());
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        MiniYARNCluster yarn = null;
        YarnClient client = null;
        try {
            dfs.waitActive();
            YarnConfiguration yarnConf = new YarnConfiguration(dfs.getConfiguration(0));
            yarnConf.set(FileSystem.FS_DEFAULT_NAME_KEY, dfs.getURI().toString());
            // Containers share this host with everything else: no memory or disk policing.
            yarnConf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
            yarnConf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
            yarnConf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100f);
            // MiniYARNCluster sizes its NodeManagers from this key, not from the plain one: room for
            // an ApplicationMaster and two executors of conf/spark-yarn.conf's 4 GB each.
            yarnConf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, 16384);
            yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
            // No capacity-scheduler.xml on the classpath: one queue with everything, and no waiting
            // for node locality on a one-node cluster.
            yarnConf.set("yarn.scheduler.capacity.root.queues", "default");
            yarnConf.set("yarn.scheduler.capacity.root.default.capacity", "100");
            yarnConf.set("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
            yarnConf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "1.0");
            yarnConf.set("yarn.scheduler.capacity.node-locality-delay", "-1");
            yarn = new MiniYARNCluster(name, 1, 1, 1);
            deleteEarlierWorkDirs(yarn.getTestWorkDir().toPath(), name);
            yarn.init(yarnConf);
            yarn.start();
            if (!yarn.waitForNodeManagersToConnect(30_000)) {
                throw new IllegalStateException("the NodeManager did not register within 30 s");
            }
            client = YarnClient.createYarnClient();
            client.init(yarn.getConfig());
            client.start();

            Path confDir = Files.createDirectories(baseDir.resolve("hadoop-conf"));
            Configuration core = new Configuration(false);
            core.set(FileSystem.FS_DEFAULT_NAME_KEY, dfs.getURI().toString());
            writeXml(core, confDir.resolve("core-site.xml"));
            // The ResourceManager's addresses, now that its ports are known. Not the whole cluster
            // configuration: that names test classes (MiniDFSCluster's StaticMapping) which clients lack.
            Configuration site = new Configuration(false);
            yarn.getConfig().getValByRegex("^yarn\\.resourcemanager\\.(hostname|.*address)$").forEach(site::set);
            writeXml(site, confDir.resolve("yarn-site.xml"));
            return new YarnMiniCluster(dfs, yarn, client, confDir);
        } catch (IOException | YarnException | RuntimeException | InterruptedException e) {
            stop(client, yarn, dfs);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("could not start HDFS and YARN: " + e, e);
        }
    }

    FileSystem fs() throws IOException {
        return dfs.getFileSystem();
    }

    Path confDir() {
        return confDir;
    }

    /**
     * The report of the newest application named {@code appName} once it has reached a final state;
     * empty if there is no such application, or it is still running after {@code timeout}.
     */
    Optional<ApplicationReport> finalReport(String appName, Duration timeout) throws IOException, YarnException,
            InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ApplicationReport> report = client.getApplications().stream()
                    .filter(r -> r.getName().equals(appName))
                    .max(Comparator.comparing(ApplicationReport::getApplicationId));
            if (report.isPresent() && FINAL_STATES.contains(report.get().getYarnApplicationState())) {
                return report;
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Thread.sleep(250);
        }
    }

    /** The id of the newest application named {@code appName}, whatever its state. */
    Optional<String> applicationId(String appName) throws IOException, YarnException {
        return client.getApplications().stream()
                .filter(r -> r.getName().equals(appName))
                .map(ApplicationReport::getApplicationId)
                .max(Comparator.naturalOrder())
                .map(Object::toString);
    }

    /** The names of all applications the ResourceManager knows, for diagnostics. */
    List<String> applications() throws IOException, YarnException {
        return client.getApplications().stream()
                .map(r -> r.getApplicationId() + " " + r.getName() + " " + r.getYarnApplicationState() + " "
                        + r.getFinalApplicationStatus() + " " + r.getDiagnostics())
                .toList();
    }

    /** The container folders (stdout, stderr, ...) of application {@code applicationId}, in container order. */
    List<Path> containerLogDirs(String applicationId) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (String logDir : yarn.getNodeManager(0).getConfig().getTrimmedStrings(YarnConfiguration.NM_LOG_DIRS)) {
            Path app = Path.of(logDir.replaceFirst("^file:", "")).resolve(applicationId);
            if (Files.isDirectory(app)) {
                try (Stream<Path> containers = Files.list(app)) {
                    containers.filter(Files::isDirectory).forEach(dirs::add);
                }
            }
        }
        dirs.sort(Comparator.comparing(Path::getFileName));
        return dirs;
    }

    /** The last {@code lines} lines of every log file of every container of {@code applicationId}. */
    String containerLogTails(String applicationId, int lines) throws IOException {
        StringBuilder s = new StringBuilder();
        for (Path container : containerLogDirs(applicationId)) {
            List<Path> files;
            try (Stream<Path> list = Files.list(container)) {
                files = list.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                s.append("--- ").append(container.getFileName()).append('/').append(f.getFileName()).append(" ---\n")
                        .append(SparkSubmitProcess.tail(f, lines)).append('\n');
            }
        }
        return s.length() == 0 ? "(no container logs for " + applicationId + ")\n" : s.toString();
    }

    @Override
    public void close() {
        stop(client, yarn, dfs);
    }

    private static void stop(YarnClient client, MiniYARNCluster yarn, MiniDFSCluster dfs) {
        if (client != null) {
            client.stop();
        }
        if (yarn != null) {
            yarn.stop();
        }
        dfs.shutdown();
    }

    /**
     * Each MiniYARNCluster gets a new work folder next to those of earlier runs, which it leaves
     * behind with their container logs; the latest run's stays for inspection until the next.
     */
    private static void deleteEarlierWorkDirs(Path workDir, String name) throws IOException {
        if (!workDir.getParent().getFileName().toString().equals(name)) {
            return; // not the layout target/test/data/<name>/yarn-<n>: nothing here is known to be ours
        }
        try (Stream<Path> siblings = Files.list(workDir.getParent())) {
            for (Path old : siblings.filter(p -> !p.equals(workDir)).toList()) {
                try (Stream<Path> tree = Files.walk(old)) {
                    for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private static void writeXml(Configuration conf, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }
}
