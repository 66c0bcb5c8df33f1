package wgangp.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import wgangp.distributed.Parallelism;
import wgangp.distributed.TrainingLoop;
import wgangp.io.Json;
import wgangp.io.RunLock;
import wgangp.model.Activation;
import wgangp.model.Architecture;
import wgangp.model.CriticSpec;
import wgangp.model.Engine;
import wgangp.model.GeneratorSpec;
import wgangp.model.Normalization;
import wgangp.model.kernels.OneDnn;
import wgangp.train.BlasKernel;
import wgangp.train.LearningRateScaling;
import wgangp.train.NativeKernels;
import wgangp.train.OuterOptimizer;
import wgangp.train.RoundSchedule;
import wgangp.train.WganGpConfig;

/**
 * The job's whole configuration, validated once: every key of {@code conf/wgan-gp.properties},
 * immutable. {@link #KEYS} is the one table of keys (name, default, kind and validation, whether
 * a resumed run may change it, {@code train} option, help); the defaults, the parser and its
 * messages, config.json, {@code --set}, the {@code train} options and the resume rule all derive
 * from it. Built from string key/value pairs (the file, the command line, a checkpoint's
 * config.json all go through {@link #fromMap}), so one parser decides what a valid value is; an
 * unknown key or a bad value fails with one line naming the key.
 */
public final class JobConfig {

    public static final ConfigKey<String> DATA = ConfigKey.text("data", "data/mnist",
            "directory holding train-images-idx3-ubyte[.gz], or the file")
            .requiring(s -> !s.isBlank(), s -> "must name a directory or an IDX image file").option("--data", "URI");
    /** Empty means {@code runs/<timestamp>}, decided when a run starts. */
    public static final ConfigKey<String> OUT = ConfigKey.text("out", "", "run directory (default: runs/<timestamp>)")
            .option("--out", "URI");
    public static final ConfigKey<Integer> BATCH = ConfigKey.integer("batch", "64", 2,
            "minibatch size per worker (at least 2: BatchNorm needs a batch variance)").shapesWeights().option("--batch", "N");
    public static final ConfigKey<Double> LR = ConfigKey.positive("lr", "0.0002",
            "Adam learning rate").shapesWeights().option("--lr", "X");
    public static final ConfigKey<Double> BETA1 = ConfigKey.fraction("beta1", "0.5",
            "Adam first-moment decay").shapesWeights();
    public static final ConfigKey<Double> BETA2 = ConfigKey.fraction("beta2", "0.999",
            "Adam second-moment decay").shapesWeights();
    public static final ConfigKey<Double> ADAM_EPSILON = ConfigKey.positive("adamEpsilon", "1e-8",
            "Adam epsilon").shapesWeights();
    public static final ConfigKey<Integer> N_CRITIC = ConfigKey.integer("nCritic", "5", 1,
            "critic updates per generator update").shapesWeights().option("--n-critic", "N");
    public static final ConfigKey<Double> LAMBDA_GP = ConfigKey.real("lambdaGp", "10", x -> x >= 0, "must be >= 0",
            "gradient penalty weight").shapesWeights().option("--lambda-gp", "X");
    public static final ConfigKey<Architecture> MODEL = ConfigKey.named("model", "mlp", Architecture::parse,
            "mlp or dcgan: which pair of networks trains").shapesWeights().addedAfterRunsTrainedWithTheDefault();
    public static final ConfigKey<Integer> DCGAN_DIM = ConfigKey.integer("dcgan.dim",
            "64", 1, "dcgan's base channel count D (model=dcgan only)").shapesWeights()
            .addedAfterRunsTrainedWithTheDefault();
    public static final ConfigKey<Integer> LATENT = ConfigKey.integer("latent", "100", 1,
            "latent dimension of z ~ N(0, I)").shapesWeights();
    public static final ConfigKey<List<Integer>> GENERATOR_HIDDEN = ConfigKey.widths("generator.hidden",
            "128,256,512,1024", "generator hidden widths").shapesWeights();
    public static final ConfigKey<Double> GENERATOR_BATCH_NORM_MOMENTUM = ConfigKey.real(
            "generator.batchNormMomentum", "0.1", x -> x > 0 && x <= 1, "must be in (0, 1]",
            "BatchNorm running-statistics momentum (PyTorch semantics)").shapesWeights();
    public static final ConfigKey<Double> GENERATOR_BATCH_NORM_EPS = ConfigKey.positive("generator.batchNormEps",
            "1e-5",
            "BatchNorm epsilon").shapesWeights();
    public static final ConfigKey<List<Integer>> CRITIC_HIDDEN = ConfigKey.widths("critic.hidden", "512,256",
            "critic hidden widths, then one linear output").shapesWeights();
    public static final ConfigKey<Double> LEAKY_SLOPE = ConfigKey.fraction("leakySlope", "0.2",
            "negative slope of LeakyReLU, generator and critic").shapesWeights();
    public static final ConfigKey<Activation> CRITIC_ACTIVATION = ConfigKey.named("critic.activation", "leakyrelu",
            s -> CriticSpec.requirePiecewiseLinear(Activation.parse(s)),
            "leakyrelu, relu or identity (the exact penalty needs a piecewise-linear critic)").shapesWeights();
    public static final ConfigKey<Normalization> CRITIC_NORMALIZATION = ConfigKey.named("critic.normalization",
            "none", s -> CriticSpec.requireNoNormalization(Normalization.parse(s)),
            "none (batch or layer normalization breaks the exact penalty)").shapesWeights();
    public static final ConfigKey<Double> EPOCHS = ConfigKey.positive("epochs", "200",
            "stop after N passes over the data (may be fractional)").option("--epochs", "N");
    public static final ConfigKey<Long> MAX_CRITIC_ITERS = ConfigKey.longInteger("maxCriticIters", "0", 0,
            "stop after N critic iterations per worker (0: no limit)").option("--max-critic-iters", "N");
    public static final ConfigKey<Integer> SAMPLE_INTERVAL = ConfigKey.integer("sampleInterval", "80", 1,
            "generator steps between sample grids").option("--sample-interval", "N");
    public static final ConfigKey<Integer> CHECKPOINT_INTERVAL = ConfigKey.integer("checkpointInterval", "1000", 1,
            "generator steps between checkpoints").option("--checkpoint-interval", "N");
    public static final ConfigKey<Integer> KEEP_CHECKPOINTS = ConfigKey.integer("keepCheckpoints", "3", 0,
            "checkpoints kept (0: all)").option("--keep-checkpoints", "N");
    public static final ConfigKey<Integer> WORKERS = ConfigKey.integer("workers", "2", 1,
            "data-parallel replicas (Spark partitions)").shapesWeights().option("--workers", "N");
    public static final ConfigKey<Parallelism> PARALLELISM = ConfigKey.named("parallelism", "synchronous",
            Parallelism::parse, "synchronous (gradients added every step, in a Spark barrier stage) or averaging"
                    + " (replicas averaged every averagingFrequency steps); one worker trains alike under both")
            .shapesWeights().addedAfterRunsTrainedWith("averaging").option("--parallelism", "MODE");
    public static final ConfigKey<Integer> SEGMENT_STEPS = ConfigKey.integer("segmentSteps", "80", 1,
            "generator steps per barrier stage of parallelism=synchronous (the driver's outputs come between them)")
            .shapesWeights().addedAfterRunsTrainedWithTheDefault().option("--segment-steps", "N");
    public static final ConfigKey<Boolean> BATCH_NORM_SYNC = ConfigKey.flag("generator.batchNormSync", "true",
            "parallelism=synchronous: BatchNorm statistics over all workers' slices of a batch (true) or each"
                    + " worker's own (false)")
            .shapesWeights().addedAfterRunsTrainedWith("false");
    public static final ConfigKey<Integer> AVERAGING_FREQUENCY = ConfigKey.integer("averagingFrequency", "40", 1,
            "generator steps between parameter averages (parallelism=averaging)").shapesWeights()
            .option("--averaging-frequency", "N");
    public static final ConfigKey<LearningRateScaling> LR_WORKER_SCALING = ConfigKey.named("lr.workerScaling",
            "linear", LearningRateScaling::parse,
            "Adam learning rate times 1 (none), sqrt(workers) or workers (linear), up to lr.maxWorkerScale")
            .shapesWeights().addedAfterRunsTrainedWith("none");
    public static final ConfigKey<Double> LR_MAX_WORKER_SCALE = ConfigKey.real("lr.maxWorkerScale", "2",
            x -> x == 0 || x >= 1, "must be 0 (no limit) or >= 1",
            "the most lr.workerScaling multiplies the Adam learning rate by (0: no limit)")
            .shapesWeights().addedAfterRunsTrainedWith("0");
    public static final ConfigKey<Double> OUTER_LR = ConfigKey.real("outer.lr", "1", x -> x > 0 && x <= 10,
            "must be in (0, 10]", "outer learning rate on the round's mean change (1 with momentum 0: plain averaging)")
            .shapesWeights().addedAfterRunsTrainedWithTheDefault();
    public static final ConfigKey<Double> OUTER_MOMENTUM = ConfigKey.fraction("outer.momentum", "0",
            "outer Nesterov momentum (0: none)").shapesWeights()
            .addedAfterRunsTrainedWithTheDefault();
    public static final ConfigKey<Long> SEED = ConfigKey.longInteger("seed", "1", Long.MIN_VALUE,
            "seed of initial weights, shards, minibatches and sample noise").shapesWeights().option("--seed", "N");
    /** AUTO is resolved on each worker by its ND4J backend. */
    public static final ConfigKey<Engine> ENGINE = ConfigKey.named("engine", "auto", Engine::parse,
            "auto, host or device: which implementation computes the step");
    /** Empty means the environment's OPENBLAS_CORETYPE, else Haswell, resolved here at the edge. */
    public static final ConfigKey<String> BLAS_CORE_TYPE = ConfigKey.named("blas.coreType", "",
            s -> s.isBlank() ? BlasKernel.fromEnvironment() : s,
            "the OpenBLAS kernel of every JVM of the run (default: OPENBLAS_CORETYPE, else Haswell)")
            .requiring(s -> s.matches("[A-Za-z][A-Za-z0-9_]*"),
                    s -> "must name an OpenBLAS kernel such as Haswell, SkylakeX or Zen (ARMV8, NEOVERSEN1 on ARM)");

    /** Empty means the best this driver's CPU has, resolved here at the edge. */
    public static final ConfigKey<OneDnn.Isa> DNNL_ISA = ConfigKey.named("dnnl.isa", "",
            s -> s.isBlank() ? OneDnn.best() : OneDnn.Isa.parse(s),
            "the instruction set of oneDNN's convolutions and matrix products in every JVM of the run: "
                    + OneDnn.Isa.names()
                    + " (default: the best the driver's CPU has)");

    /** A reader of the lock judges it by the owner's own timeout, so the default is the readers'. */
    public static final ConfigKey<Double> LOCK_TIMEOUT = ConfigKey.real("lockTimeout",
            String.valueOf(RunLock.DEFAULT_TIMEOUT.toSeconds()), x -> x >= RunLock.MIN_TIMEOUT.toSeconds(),
            "must be >= " + RunLock.MIN_TIMEOUT.toSeconds() + " seconds",
            "seconds this driver's hold on the run directory outlives its last heartbeat; after that another"
                    + " train --resume may take the run over").option("--lock-timeout", "SECONDS");

    /** Every key, in the order of conf/wgan-gp.properties. */
    public static final List<ConfigKey<?>> KEYS = List.of(DATA, OUT, BATCH, LR, BETA1, BETA2, ADAM_EPSILON, N_CRITIC,
            LAMBDA_GP, MODEL, DCGAN_DIM, LATENT, GENERATOR_HIDDEN, GENERATOR_BATCH_NORM_MOMENTUM, GENERATOR_BATCH_NORM_EPS,
            CRITIC_HIDDEN, LEAKY_SLOPE, CRITIC_ACTIVATION, CRITIC_NORMALIZATION, EPOCHS, MAX_CRITIC_ITERS,
            SAMPLE_INTERVAL, CHECKPOINT_INTERVAL, KEEP_CHECKPOINTS, WORKERS, PARALLELISM, SEGMENT_STEPS, BATCH_NORM_SYNC,
            AVERAGING_FREQUENCY, LR_WORKER_SCALING,
            LR_MAX_WORKER_SCALE, OUTER_LR, OUTER_MOMENTUM, SEED, ENGINE, BLAS_CORE_TYPE, DNNL_ISA, LOCK_TIMEOUT);

    /** Keys whose values decide the trained weights; a resumed run must not change them. */
    public static final Set<String> TRAINING_KEYS = KEYS.stream().filter(ConfigKey::training).map(ConfigKey::name)
            .collect(Collectors.toUnmodifiableSet());

    /** Typed values by key name, in {@link #KEYS} order. */
    private final Map<String, Object> values;

    private JobConfig(Map<String, Object> values) {
        this.values = values;
    }

    /** The built-in defaults: the reference model and schedule, identical to conf/wgan-gp.properties. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        KEYS.forEach(key -> d.put(key.name(), key.defaultValue()));
        return d;
    }

    /** Every key, in file order. */
    public static List<String> keys() {
        return KEYS.stream().map(ConfigKey::name).toList();
    }

    /** The key named {@code name}, if there is one. */
    public static ConfigKey<?> key(String name) {
        return KEYS.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * A config from a complete or partial key/value map laid over {@code base}. Unknown keys and
     * unparsable or out-of-range values throw {@link IllegalArgumentException} naming the key.
     */
    public static JobConfig fromMap(Map<String, String> base, Map<String, String> overrides, String source) {
        Map<String, String> v = new LinkedHashMap<>(base);
        v.putAll(overrides);
        requireKnown(v, source);
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : KEYS) {
            String text = v.get(key.name());
            if (text == null) {
                throw new IllegalArgumentException("configuration key '" + key.name() + "' has no value (" + source + ")");
            }
            values.put(key.name(), key.valueOf(text));
        }
        JobConfig config = new JobConfig(values);
        config.requireOuterStepAveraging();
        return config;
    }

    /** {@code values}, whose every key is one of {@link #KEYS}; else an IllegalArgumentException naming another. */
    public static Map<String, String> requireKnown(Map<String, String> values, String source) {
        for (String name : values.keySet()) {
            if (key(name) == null) {
                throw new IllegalArgumentException("unknown configuration key '" + name + "' in " + source
                        + "; known keys: " + String.join(", ", new TreeSet<>(keys())));
            }
        }
        return values;
    }

    /** The outer optimizer moves an averaged state: synchronous replicas have none to move. */
    private void requireOuterStepAveraging() {
        boolean outerStep = get(OUTER_LR) != Double.parseDouble(OUTER_LR.defaultValue())
                || get(OUTER_MOMENTUM) != Double.parseDouble(OUTER_MOMENTUM.defaultValue());
        if (outerStep && synchronous()) {
            throw new IllegalArgumentException("outer.lr and outer.momentum step from the replicas' average, which"
                    + " parallelism=synchronous does not take: set parallelism=averaging or leave them at "
                    + OUTER_LR.defaultValue() + " and " + OUTER_MOMENTUM.defaultValue());
        }
    }

    /**
     * The config a checkpoint was written with. A key added to the job after the checkpoint was
     * written (such as {@code engine}) takes its built-in default when it does not shape the trained
     * weights, and a training key the value the runs before it trained with (such as
     * {@code outer.lr}: 1); any other missing training key is still an error.
     */
    public static JobConfig fromCheckpoint(Map<String, String> saved, String source) {
        Map<String, String> v = new LinkedHashMap<>(saved);
        for (ConfigKey<?> key : KEYS) {
            if (!key.training()) {
                v.putIfAbsent(key.name(), key.defaultValue());
            } else if (key.valueBefore() != null) {
                v.putIfAbsent(key.name(), key.valueBefore());
            }
        }
        return fromMap(v, Map.of(), source);
    }

    /** The value of {@code key}. */
    public <T> T get(ConfigKey<T> key) {
        @SuppressWarnings("unchecked")
        T value = (T) values.get(key.name());
        return value;
    }

    /** The config as key → string value, in file order; {@link #fromMap} of it gives this config back. */
    public Map<String, String> toStrings() {
        Map<String, String> m = new LinkedHashMap<>();
        toJson().forEach((k, val) -> m.put(k, val instanceof List<?> l
                ? l.stream().map(String::valueOf).collect(Collectors.joining(",")) : String.valueOf(val)));
        return m;
    }

    /** The config as key → typed value (numbers, lists, strings), in file order, for JSON. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        KEYS.forEach(key -> m.put(key.name(), key.toJson(values.get(key.name()))));
        return m;
    }

    /** The config as config.json holds it: {@link #toJson}, indented. */
    public String json() {
        return Json.pretty(toJson());
    }

    /** This config with {@code out} set. */
    public JobConfig withOut(String newOut) {
        Map<String, String> m = toStrings();
        m.put(OUT.name(), newOut);
        return fromMap(m, Map.of(), OUT.name());
    }

    /**
     * The networks and optimiser for images of {@code imageSize} pixels, the Adam rate scaled for
     * the number of workers ({@code lr.workerScaling}, at most {@code lr.maxWorkerScale} times).
     */
    public WganGpConfig model(int imageSize) {
        GeneratorSpec g = new GeneratorSpec(latent(), generatorHidden(), leakySlope(), imageSize,
                generatorBatchNormMomentum(), generatorBatchNormEps());
        CriticSpec c = new CriticSpec(imageSize, criticHidden(), criticActivation(), leakySlope(), criticNormalization());
        double scaledLr = get(LR_WORKER_SCALING).scale(lr(), workers(), get(LR_MAX_WORKER_SCALE));
        return new WganGpConfig(g, c, batch(), scaledLr, beta1(), beta2(), adamEpsilon(), nCritic(), lambdaGp(),
                engine(), model(), dcganDim());
    }

    /**
     * How the driver's loop trains {@link #model} on {@code datasetSize} images of
     * {@code imageSize} pixels: the workers, how they train together, the seed, the total steps.
     */
    public TrainingLoop.Plan plan(int datasetSize, int imageSize) {
        long total = RoundSchedule.totalGeneratorSteps(epochs(), maxCriticIters(), datasetSize, batch(), nCritic(),
                workers());
        return new TrainingLoop.Plan(model(imageSize), workers(), parallelism(), averagingFrequency(), segmentSteps(),
                batchNormSync(), outerOptimizer(), seed(), total, datasetSize, nativeKernels());
    }

    /**
     * Names the training-shaping keys whose values differ from {@code saved}'s, as
     * "key=new (was old)" fragments, empty when the two train identically.
     */
    public List<String> trainingDifferences(JobConfig saved) {
        Map<String, String> mine = toStrings();
        Map<String, String> theirs = saved.toStrings();
        List<String> diffs = new ArrayList<>();
        for (ConfigKey<?> key : KEYS) {
            if (key.training() && !mine.get(key.name()).equals(theirs.get(key.name()))) {
                diffs.add(key.name() + "=" + mine.get(key.name()) + " (was " + theirs.get(key.name()) + ")");
            }
        }
        return diffs;
    }

    /**
     * Keys a resumed run may set anew: those outside {@link #TRAINING_KEYS}, which change where and
     * how long it trains or (engine, blas.coreType, dnnl.isa) the last float bits, not what it learns.
     */
    public static List<String> resumableKeys() {
        return KEYS.stream().filter(key -> !key.training()).map(ConfigKey::name).toList();
    }

    // --- typed accessors ---------------------------------------------------------------------

    public String data() {
        return get(DATA);
    }

    /** The run directory URI; empty means {@code runs/<timestamp>}. */
    public String out() {
        return get(OUT);
    }

    public int batch() {
        return get(BATCH);
    }

    public double lr() {
        return get(LR);
    }

    public double beta1() {
        return get(BETA1);
    }

    public double beta2() {
        return get(BETA2);
    }

    public double adamEpsilon() {
        return get(ADAM_EPSILON);
    }

    public int nCritic() {
        return get(N_CRITIC);
    }

    public double lambdaGp() {
        return get(LAMBDA_GP);
    }

    /** Which pair of networks trains. */
    public Architecture model() {
        return get(MODEL);
    }

    /** dcgan's base channel count D. */
    public int dcganDim() {
        return get(DCGAN_DIM);
    }

    public int latent() {
        return get(LATENT);
    }

    public List<Integer> generatorHidden() {
        return get(GENERATOR_HIDDEN);
    }

    public double generatorBatchNormMomentum() {
        return get(GENERATOR_BATCH_NORM_MOMENTUM);
    }

    public double generatorBatchNormEps() {
        return get(GENERATOR_BATCH_NORM_EPS);
    }

    public List<Integer> criticHidden() {
        return get(CRITIC_HIDDEN);
    }

    public double leakySlope() {
        return get(LEAKY_SLOPE);
    }

    public Activation criticActivation() {
        return get(CRITIC_ACTIVATION);
    }

    public Normalization criticNormalization() {
        return get(CRITIC_NORMALIZATION);
    }

    /** Stop after this many passes over the data (may be fractional). */
    public double epochs() {
        return get(EPOCHS);
    }

    /** Stop after this many critic iterations per replica; 0 means no limit. */
    public long maxCriticIters() {
        return get(MAX_CRITIC_ITERS);
    }

    public int sampleInterval() {
        return get(SAMPLE_INTERVAL);
    }

    public int checkpointInterval() {
        return get(CHECKPOINT_INTERVAL);
    }

    public int keepCheckpoints() {
        return get(KEEP_CHECKPOINTS);
    }

    public int workers() {
        return get(WORKERS);
    }

    public int averagingFrequency() {
        return get(AVERAGING_FREQUENCY);
    }

    /** How more than one worker trains together. */
    public Parallelism parallelism() {
        return get(PARALLELISM);
    }

    /** Whether the workers add their gradients every step: two or more under parallelism=synchronous. */
    public boolean synchronous() {
        return workers() > 1 && parallelism() == Parallelism.SYNCHRONOUS;
    }

    /** Generator steps per barrier stage of synchronous training. */
    public int segmentSteps() {
        return get(SEGMENT_STEPS);
    }

    /** Whether synchronous replicas take BatchNorm's statistics over all their slices of a batch. */
    public boolean batchNormSync() {
        return get(BATCH_NORM_SYNC);
    }

    /** The driver's step after each round's mean, from outer.lr and outer.momentum. */
    public OuterOptimizer outerOptimizer() {
        return new OuterOptimizer(get(OUTER_LR), get(OUTER_MOMENTUM));
    }

    public long seed() {
        return get(SEED);
    }

    /** Which implementation trains; AUTO is resolved on each worker by its ND4J backend. */
    public Engine engine() {
        return get(ENGINE);
    }

    /** The OpenBLAS kernel of every JVM of the run ({@link BlasKernel}). */
    public String blasCoreType() {
        return get(BLAS_CORE_TYPE);
    }

    /** The kernels every JVM of the run computes with: {@code blas.coreType} and {@code dnnl.isa}. */
    public NativeKernels nativeKernels() {
        return new NativeKernels(blasCoreType(), get(DNNL_ISA));
    }

    /** How long this driver's hold on the run directory outlives its last heartbeat. */
    public Duration lockTimeout() {
        return Duration.ofMillis(Math.round(get(LOCK_TIMEOUT) * 1000));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobConfig other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "JobConfig" + toStrings();
    }
}
