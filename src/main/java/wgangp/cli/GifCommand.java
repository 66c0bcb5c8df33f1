package wgangp.cli;

import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import wgangp.io.ProgressGif;
import wgangp.io.RunDirectory;

/** {@code gif}: (re)builds samples/progress.gif of a run, also while it is still training. */
@Command(name = "gif", mixinStandardHelpOptions = true,
        description = "Build samples/progress.gif from the sample grids a run has written so far.")
final class GifCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "URI", description = "run directory on any Hadoop FS")
    String run;

    @Override
    public Integer call() throws Exception {
        RunDirectory dir = RunDirectory.at(run, HadoopConf.from(new SparkConf()));
        int frames = ProgressGif.write(dir.fs(), dir.samples());
        System.out.println(dir.samples() + "/" + ProgressGif.NAME + " (" + frames + " frames)");
        return ExitCodes.OK;
    }
}
