package wgangp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import wgangp.io.GalleryModel;
import wgangp.io.GalleryPage;
import wgangp.io.Json;
import wgangp.io.RunDirectory;
import wgangp.job.ConfigSources;
import wgangp.job.JobConfig;
import wgangp.train.RoundSchedule;

/**
 * {@code gallery}: rewrites a run's index.html from what its directory holds now, e.g. after
 * {@code evaluate} has added results or for a run trained before the page existed.
 */
@Command(name = "gallery", mixinStandardHelpOptions = true,
        description = "Rewrite RUN/index.html (charts, sample grids, evaluation results) from the run directory.")
final class GalleryCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "URI", description = "run directory on any Hadoop FS")
    String run;

    @Override
    public Integer call() throws Exception {
        RunDirectory dir = RunDirectory.at(run, HadoopConf.from(new SparkConf()));
        String configJson = dir.readText(RunDirectory.CONFIG);
        if (configJson == null) {
            throw new IllegalArgumentException(dir.file(RunDirectory.CONFIG) + " does not exist; pass the run"
                    + " directory a train command writes to");
        }
        String source = dir.file(RunDirectory.CONFIG).toString();
        JobConfig config = JobConfig.fromCheckpoint(ConfigSources.json(configJson, source), source);
        GalleryModel.Progress progress = new GalleryModel.Progress(lastStep(dir.readText(RunDirectory.METRICS)),
                totalSteps(config, dir.readText(RunDirectory.PROVENANCE)));
        GalleryPage.load().write(dir.fs(), dir.root(), progress);
        System.out.println(dir.file(GalleryPage.NAME));
        return ExitCodes.OK;
    }

    /** The run's length as train computed it; -1 when provenance.json does not say how many images there were. */
    private static long totalSteps(JobConfig config, String provenanceJson) {
        JsonNode images = provenanceJson == null ? null
                : Json.parse(provenanceJson, RunDirectory.PROVENANCE).get("images");
        if (images == null || !images.canConvertToLong() || images.asLong() < 1) {
            return -1;
        }
        return RoundSchedule.totalGeneratorSteps(config.epochs(), config.maxCriticIters(), images.asLong(),
                config.batch(), config.nCritic(), config.workers());
    }

    /** The step of the last round in metrics.jsonl (which is rewritten whole, so never torn); 0 before any. */
    private static long lastStep(String metrics) {
        if (metrics == null) {
            return 0;
        }
        String[] lines = metrics.strip().split("\n");
        String last = lines[lines.length - 1];
        return last.isBlank() ? 0 : Json.parse(last, RunDirectory.METRICS).path("step").asLong(0);
    }
}
