package wgangp.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import wgangp.io.GalleryCopy;
import wgangp.io.RunDirectory;
import wgangp.io.RunInfo;
import wgangp.io.TargetExistsException;

/**
 * {@code browse}: what runs a directory holds, what one run holds, and a copy of a run's gallery to
 * a local folder, on any Hadoop file system.
 *
 * <pre>
 *   ./submit.sh browse hdfs:///runs                                 # a table of the runs under it
 *   ./submit.sh browse hdfs:///runs/a                               # grids, checkpoints, evaluations
 *   ./submit.sh browse hdfs:///runs/a --copy gallery/a              # index.html, samples/, metrics, eval/
 *   ./submit.sh browse hdfs:///runs/a --grid 142_0004000 --copy .   # one grid
 * </pre>
 */
@Command(name = "browse", mixinStandardHelpOptions = true,
        description = "List the runs under a directory, show one run's grids, checkpoints and evaluations,"
                + " or copy its gallery to a local folder.")
final class BrowseCommand implements Callable<Integer> {

    @Parameters(paramLabel = "URI", description = "a run directory, or a directory holding runs, on any Hadoop FS")
    String uri;

    @Option(names = "--copy", paramLabel = "DIR",
            description = "copy the run's gallery (index.html, samples/, metrics.jsonl, config.json, provenance.json,"
                    + " eval/) into DIR, a new or empty folder; with --grid, copy that grid into DIR")
    String copy;

    @Option(names = "--grid", paramLabel = "NAME", description = "one sample grid, e.g. 142_0004000.png (needs --copy)")
    String grid;

    @Option(names = "--with-checkpoints", description = "copy checkpoints/ too")
    boolean withCheckpoints;

    @Option(names = "--overwrite", description = "replace an existing copy (a folder that looks like one) or grid file")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (copy == null && (grid != null || withCheckpoints || overwrite)) {
            throw new IllegalArgumentException("--grid, --with-checkpoints and --overwrite go with --copy DIR");
        }
        if (grid != null && withCheckpoints) {
            throw new IllegalArgumentException("--with-checkpoints copies a whole gallery; it does not go with --grid");
        }
        Configuration hadoop = HadoopConf.from(new SparkConf());
        RunDirectory dir = RunDirectory.at(uri, hadoop);
        PrintWriter out = spec.commandLine().getOut();
        FileStatus status;
        try {
            status = dir.fs().getFileStatus(dir.root());
        } catch (FileNotFoundException e) {
            return fail(ExitCodes.BAD_INPUT, dir.root() + " does not exist");
        }
        if (status.isDirectory() && dir.looksLikeRun()) {
            return copy == null ? show(dir, out) : copy(dir, hadoop, out);
        }
        if (copy != null || !status.isDirectory()) {
            return fail(ExitCodes.BAD_INPUT, dir.root() + " is not a run directory (it has no "
                    + RunDirectory.CONFIG + " or " + RunDirectory.CHECKPOINTS + "/)");
        }
        List<RunDirectory> children = dir.childRuns();
        if (children.isEmpty()) {
            return fail(ExitCodes.BAD_INPUT, dir.root() + " is neither a run directory nor holds any (none of its"
                    + " folders has " + RunDirectory.CONFIG + " or " + RunDirectory.CHECKPOINTS + "/)");
        }
        List<RunInfo> runs = new ArrayList<>();
        for (RunDirectory child : children) {
            runs.add(RunInfo.read(child));
        }
        out.println("runs under " + dir.root() + " (" + runs.size() + ")");
        out.println(RunTables.runs(runs));
        out.flush();
        return ExitCodes.OK;
    }

    private int show(RunDirectory run, PrintWriter out) throws IOException {
        out.print(RunTables.run(RunInfo.read(run)));
        out.flush();
        return ExitCodes.OK;
    }

    private int copy(RunDirectory run, Configuration hadoop, PrintWriter out) throws IOException {
        Path target = new Path(copy);
        GalleryCopy copier = GalleryCopy.of(run, target.getFileSystem(hadoop), overwrite);
        GalleryCopy.Report report;
        try {
            report = grid == null ? copier.copyGallery(target, withCheckpoints) : copier.copyGrid(grid, target);
        } catch (TargetExistsException e) {
            return fail(ExitCodes.RUN_DIRECTORY_EXISTS, e.getMessage());
        } catch (FileNotFoundException e) {
            return fail(ExitCodes.BAD_INPUT, e.getMessage());
        }
        out.println(report.target() + ": " + report.files() + " files, " + report.bytes() + " bytes from " + run.root());
        out.flush();
        return ExitCodes.OK;
    }

    private int fail(int code, String message) {
        spec.commandLine().getErr().println("error: " + message);
        spec.commandLine().getErr().flush();
        return code;
    }
}
