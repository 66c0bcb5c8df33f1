package wgangp.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import wgangp.data.IdxImages;
import wgangp.data.IdxReader;
import wgangp.data.InvalidDataException;
import wgangp.distributed.SparkSettings;
import wgangp.eval.ClassifierStore;
import wgangp.eval.ClassifierTraining;
import wgangp.eval.DigitClassifier;
import wgangp.eval.EvaluationResult;
import wgangp.eval.Evaluator;
import wgangp.eval.MnistData;
import wgangp.io.AtomicFiles;
import wgangp.io.Checkpoints;
import wgangp.io.IdxWriter;
import wgangp.io.Json;
import wgangp.io.RunDirectory;
import wgangp.train.BlasKernel;

/**
 * {@code evaluate}: FID, real-vs-real floor, class histogram, modes and confidence of generated
 * digits, measured with a small CNN trained on the MNIST training images.
 *
 * <pre>
 *   ./submit.sh evaluate --run runs/a                         # latest checkpoint → runs/a/eval/step-NNNNNNN.json
 *   ./submit.sh evaluate --run runs/a --every-checkpoint      # every complete checkpoint
 *   ./submit.sh evaluate --samples samples.idx.gz --out samples-eval.json
 * </pre>
 *
 * Everything that can be wrong with the input is checked before Spark starts; the classifier is
 * trained (on the cluster, with dl4j-spark) only when none is cached yet.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score generated digits (a run's checkpoints or an IDX file) with FID and a digit classifier.")
final class EvaluateCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--run", required = true, paramLabel = "URI",
                description = "run directory: evaluate its latest checkpoint into RUN/eval/<checkpoint>.json")
        String run;

        @Option(names = "--samples", required = true, paramLabel = "URI",
                description = "IDX file of 28x28 samples (.gz allowed); needs --out")
        String samples;
    }

    @Option(names = "--every-checkpoint", description = "with --run: evaluate every complete checkpoint")
    boolean everyCheckpoint;

    @Option(names = "--out", paramLabel = "FILE", description = "with --samples: where the JSON result goes")
    String out;

    @Option(names = "--data", defaultValue = "data/mnist", paramLabel = "URI",
            description = "MNIST directory with train-* and t10k-* images and labels (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--count", paramLabel = "N",
            description = "with --run: samples generated per checkpoint (default: 1000)")
    Integer count;

    @Option(names = "--classifier", paramLabel = "URI",
            description = "classifier model zip, trained and written there when missing (default: DATA/"
                    + ClassifierStore.DEFAULT_PATH + ")")
    String classifier;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "seed of the latent noise and of the floor's training subset (default: ${DEFAULT-VALUE})")
    long seed;

    /** What is to be evaluated, checked and ready before Spark starts. */
    private sealed interface Target permits RunTarget, SamplesTarget {
    }

    private record RunTarget(RunDirectory run, List<String> checkpoints, int count) implements Target {
    }

    private record SamplesTarget(IdxImages images, Path out, FileSystem fs) implements Target {
    }

    @Override
    public Integer call() throws Exception {
        SparkConf sparkConf = SparkSettings.fromSubmit();
        Configuration hadoop = HadoopConf.from(sparkConf);
        Target target = target(hadoop);
        MnistData mnist = MnistData.read(data, hadoop);
        Path classifierPath = classifier != null ? new Path(classifier)
                : new Path(mnist.directory(), ClassifierStore.DEFAULT_PATH);
        FileSystem classifierFs = classifierPath.getFileSystem(hadoop);
        DigitClassifier cached = ClassifierStore.load(classifierFs, classifierPath).orElse(null);

        // The classifier's features, and so the FID's last digits, are computed on the executors.
        SparkSettings.pinBlasKernel(sparkConf, BlasKernel.fromEnvironment(), System.getenv());
        JavaSparkContext sc = new JavaSparkContext(sparkConf);
        try {
            DigitClassifier digits = cached != null ? cached : train(sc, mnist, classifierFs, classifierPath);
            if (cached != null) {
                System.err.println("classifier: " + classifierFs.makeQualified(classifierPath));
            }
            try (Evaluator evaluator = new Evaluator(sc, digits, mnist, seed)) {
                System.err.printf("classifier accuracy on the %d held-out images: %.4f%n", evaluator.heldOutCount(),
                        evaluator.classifierAccuracy());
                if (target instanceof RunTarget run) {
                    return evaluateRun(run, evaluator);
                }
                SamplesTarget samples = (SamplesTarget) target;
                IdxImages images = samples.images();
                EvaluationResult result = evaluator.evaluate(images.pixels(), images.count(), null, null, null);
                AtomicFiles.writeText(samples.fs(), samples.out(), Json.pretty(result.toJson()));
                System.out.println(samples.fs().makeQualified(samples.out()) + ": " + result);
                return ExitCodes.OK;
            }
        } finally {
            sc.stop();
        }
    }

    /** Checks the options and the run or the samples file; nothing is written and Spark is not started. */
    private Target target(Configuration hadoop) throws IOException {
        if (input.samples != null) {
            if (out == null) {
                throw new IllegalArgumentException("--samples needs --out naming the JSON file to write");
            }
            if (everyCheckpoint || count != null) {
                throw new IllegalArgumentException("--every-checkpoint and --count apply to --run; --samples evaluates"
                        + " every image of the file");
            }
            IdxImages images = IdxReader.readImages(input.samples, hadoop);
            requireDigits(images.rows(), images.cols(), "IDX file " + images.source());
            if (images.count() < 2) {
                throw new InvalidDataException("IDX file " + images.source() + " holds " + images.count()
                        + " image; the FID needs at least 2.");
            }
            Path outPath = new Path(out);
            return new SamplesTarget(images, outPath, outPath.getFileSystem(hadoop));
        }
        if (out != null) {
            throw new IllegalArgumentException("--out applies to --samples; a run's results go to RUN/" + RunDirectory.EVAL + "/");
        }
        int n = count == null ? 1000 : count;
        if (n < 2) {
            throw new IllegalArgumentException("--count must be >= 2 (the FID needs a covariance), got " + n);
        }
        // Loading the latest checkpoint checks that the run has one and that its generator makes digits.
        CheckpointGenerator latest = CheckpointGenerator.load(input.run, hadoop);
        requireDigits(latest.rows(), latest.cols(), "checkpoint " + latest.checkpoint().name() + " of " + input.run);
        RunDirectory run = RunDirectory.at(input.run, hadoop);
        List<String> names = everyCheckpoint ? run.checkpoints().names() : List.of(latest.checkpoint().name());
        return new RunTarget(run, names, n);
    }

    private static void requireDigits(int rows, int cols, String what) {
        if (rows != DigitClassifier.SIDE || cols != DigitClassifier.SIDE) {
            throw new InvalidDataException(what + " has " + rows + "x" + cols + " images; the classifier scores 28x28"
                    + " MNIST digits.");
        }
    }

    private static DigitClassifier train(JavaSparkContext sc, MnistData mnist, FileSystem fs, Path path)
            throws IOException {
        ClassifierTraining training = ClassifierTraining.defaults();
        System.err.printf("training the classifier on %d images (%d epochs, parameter averaging over %d workers) ...%n",
                mnist.train().count(), training.epochs(), sc.defaultParallelism());
        long t0 = System.nanoTime();
        DigitClassifier trained = training.train(sc, mnist.train(), mnist.trainLabels());
        ClassifierStore.save(fs, path, trained);
        System.err.printf("classifier trained in %.0f s, saved to %s%n", (System.nanoTime() - t0) / 1e9,
                fs.makeQualified(path));
        return trained;
    }

    private int evaluateRun(RunTarget target, Evaluator evaluator) throws IOException {
        Checkpoints checkpoints = target.run().checkpoints();
        List<String> written = new ArrayList<>();
        for (String name : target.checkpoints()) {
            Checkpoints.Checkpoint cp = checkpoints.tryLoad(name).orElse(null);
            if (cp == null) {
                continue;
            }
            CheckpointGenerator generator = CheckpointGenerator.of(cp);
            requireDigits(generator.rows(), generator.cols(), "checkpoint " + name);
            byte[] pixels = IdxWriter.pixels(generator.sample(target.count(), seed), DigitClassifier.PIXELS);
            EvaluationResult result = evaluator.evaluate(pixels, target.count(), name, cp.state().generatorSteps(),
                    cp.state().criticSteps());
            Path file = new Path(target.run().file(RunDirectory.EVAL), name + ".json");
            AtomicFiles.writeText(target.run().fs(), file, Json.pretty(result.toJson()));
            System.out.println(file + ": " + result);
            written.add(name);
        }
        if (written.isEmpty()) {
            throw new InvalidDataException(target.run().root() + " holds no complete checkpoint to evaluate.");
        }
        return ExitCodes.OK;
    }
}
