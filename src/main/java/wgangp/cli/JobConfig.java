package wgangp.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import wgangp.model.Activation;
import wgangp.model.CriticSpec;
import wgangp.model.Engine;
import wgangp.model.GeneratorSpec;
import wgangp.model.Normalization;
import wgangp.train.BlasKernel;
import wgangp.train.WganGpConfig;

/**
 * The job's whole configuration, validated once: every key of {@code conf/wgan-gp.properties}, as
 * one immutable record. Built from string key/value pairs (the file, the command line, a
 * checkpoint's config.json all go through {@link #fromMap}), so one parser decides what a valid
 * value is; an unknown key or a bad value fails with one line naming the key.
 *
 * @param out    run directory URI; empty means {@code runs/<timestamp>}
 * @param epochs stop after this many passes over the data (may be fractional)
 * @param maxCriticIters stop after this many critic iterations per replica; 0 means no limit
 * @param engine which implementation trains; AUTO is resolved on each worker by its ND4J backend
 * @param blasCoreType the OpenBLAS kernel of every JVM of the run ({@link BlasKernel}); empty in a
 *                     map means the environment's OPENBLAS_CORETYPE, else Haswell
 */
public record JobConfig(String data, String out, int batch, double lr, double beta1, double beta2, double adamEpsilon,
                        int nCritic, double lambdaGp, int latent, List<Integer> generatorHidden,
                        double generatorBatchNormMomentum, double generatorBatchNormEps, List<Integer> criticHidden,
                        double leakySlope, Activation criticActivation, Normalization criticNormalization,
                        double epochs, long maxCriticIters, int sampleInterval, int checkpointInterval,
                        int keepCheckpoints, int workers, int averagingFrequency, long seed, Engine engine,
                        String blasCoreType) {

    /** Keys whose values decide the trained weights; a resumed run must not change them. */
    public static final Set<String> TRAINING_KEYS = Set.of("batch", "lr", "beta1", "beta2", "adamEpsilon", "nCritic",
            "lambdaGp", "latent", "generator.hidden", "generator.batchNormMomentum", "generator.batchNormEps",
            "critic.hidden", "leakySlope", "critic.activation", "critic.normalization", "workers",
            "averagingFrequency", "seed");

    /** Image size used to validate the model before the data is read; the real one comes from the data. */
    private static final int PROBE_IMAGE_SIZE = 784;

    public JobConfig {
        generatorHidden = List.copyOf(generatorHidden);
        criticHidden = List.copyOf(criticHidden);
        require(!data.isBlank(), "data", data, "must name a directory or an IDX image file");
        require(blasCoreType.matches("[A-Za-z][A-Za-z0-9_]*"), "blas.coreType", blasCoreType,
                "must name an OpenBLAS kernel such as Haswell, SkylakeX or Zen (ARMV8, NEOVERSEN1 on ARM)");
        require(epochs > 0 && Double.isFinite(epochs), "epochs", epochs, "must be > 0");
        require(maxCriticIters >= 0, "maxCriticIters", maxCriticIters, "must be >= 0 (0 = unlimited)");
        require(sampleInterval >= 1, "sampleInterval", sampleInterval, "must be >= 1 generator step");
        require(checkpointInterval >= 1, "checkpointInterval", checkpointInterval, "must be >= 1 generator step");
        require(keepCheckpoints >= 0, "keepCheckpoints", keepCheckpoints, "must be >= 0 (0 = keep all)");
        require(workers >= 1, "workers", workers, "must be >= 1");
        require(averagingFrequency >= 1, "averagingFrequency", averagingFrequency, "must be >= 1 generator step");
        require(latent >= 1, "latent", latent, "must be >= 1");
        require(!generatorHidden.isEmpty(), "generator.hidden", "", "must list at least one width");
        require(!criticHidden.isEmpty(), "critic.hidden", "", "must list at least one width");
        require(leakySlope >= 0 && leakySlope < 1, "leakySlope", leakySlope, "must be in [0, 1)");
        require(generatorBatchNormMomentum > 0 && generatorBatchNormMomentum <= 1, "generator.batchNormMomentum",
                generatorBatchNormMomentum, "must be in (0, 1]");
        require(generatorBatchNormEps > 0, "generator.batchNormEps", generatorBatchNormEps, "must be > 0");
        // WganGpConfig checks the optimiser and refuses critics the exact penalty cannot handle.
        buildModel(latent, generatorHidden, leakySlope, generatorBatchNormMomentum, generatorBatchNormEps,
                criticHidden, criticActivation, criticNormalization, batch, lr, beta1, beta2, adamEpsilon, nCritic,
                lambdaGp, engine, PROBE_IMAGE_SIZE);
    }

    /** The built-in defaults: the reference model and schedule, identical to conf/wgan-gp.properties. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("data", "data/mnist");
        d.put("out", "");
        d.put("batch", "64");
        d.put("lr", "0.0002");
        d.put("beta1", "0.5");
        d.put("beta2", "0.999");
        d.put("adamEpsilon", "1e-8");
        d.put("nCritic", "5");
        d.put("lambdaGp", "10");
        d.put("latent", "100");
        d.put("generator.hidden", "128,256,512,1024");
        d.put("generator.batchNormMomentum", "0.1");
        d.put("generator.batchNormEps", "1e-5");
        d.put("critic.hidden", "512,256");
        d.put("leakySlope", "0.2");
        d.put("critic.activation", "leakyrelu");
        d.put("critic.normalization", "none");
        d.put("epochs", "200");
        d.put("maxCriticIters", "0");
        d.put("sampleInterval", "80");
        d.put("checkpointInterval", "1000");
        d.put("keepCheckpoints", "3");
        d.put("workers", "2");
        d.put("averagingFrequency", "40");
        d.put("seed", "1");
        d.put("engine", "auto");
        d.put("blas.coreType", "");
        return d;
    }

    /** Every key, in file order. */
    public static List<String> keys() {
        return List.copyOf(defaults().keySet());
    }

    /**
     * A config from a complete or partial key/value map laid over {@code base}. Unknown keys and
     * unparsable or out-of-range values throw {@link IllegalArgumentException} naming the key.
     */
    public static JobConfig fromMap(Map<String, String> base, Map<String, String> overrides, String source) {
        Map<String, String> v = new LinkedHashMap<>(base);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!v.containsKey(e.getKey()) && !defaults().containsKey(e.getKey())) {
                throw unknownKey(e.getKey(), source);
            }
            v.put(e.getKey(), e.getValue());
        }
        for (String key : v.keySet()) {
            if (!defaults().containsKey(key)) {
                throw unknownKey(key, source);
            }
        }
        for (String key : defaults().keySet()) {
            if (!v.containsKey(key)) {
                throw new IllegalArgumentException("configuration key '" + key + "' has no value (" + source + ")");
            }
        }
        return new JobConfig(v.get("data").trim(), v.get("out").trim(), integer(v, "batch"), real(v, "lr"),
                real(v, "beta1"), real(v, "beta2"), real(v, "adamEpsilon"), integer(v, "nCritic"),
                real(v, "lambdaGp"), integer(v, "latent"), widths(v, "generator.hidden"),
                real(v, "generator.batchNormMomentum"), real(v, "generator.batchNormEps"), widths(v, "critic.hidden"),
                real(v, "leakySlope"), parse(v, "critic.activation", Activation::parse),
                parse(v, "critic.normalization", Normalization::parse), real(v, "epochs"),
                longValue(v, "maxCriticIters"), integer(v, "sampleInterval"), integer(v, "checkpointInterval"),
                integer(v, "keepCheckpoints"), integer(v, "workers"), integer(v, "averagingFrequency"),
                longValue(v, "seed"), parse(v, "engine", Engine::parse), blasCoreType(v.get("blas.coreType")));
    }

    /**
     * The config a checkpoint was written with. A key added to the job after the checkpoint was
     * written (such as {@code engine}) takes its built-in default when it does not shape the trained
     * weights; a missing training key is still an error.
     */
    public static JobConfig fromCheckpoint(Map<String, String> saved, String source) {
        Map<String, String> v = new LinkedHashMap<>(saved);
        defaults().forEach((key, value) -> {
            if (!TRAINING_KEYS.contains(key)) {
                v.putIfAbsent(key, value);
            }
        });
        return fromMap(v, Map.of(), source);
    }

    /** The config as key → string value, in file order; {@link #fromMap} of it gives this config back. */
    public Map<String, String> toStrings() {
        Map<String, String> m = new LinkedHashMap<>();
        toJson().forEach((k, val) -> m.put(k, val instanceof List<?> l ? join(l) : String.valueOf(val)));
        return m;
    }

    /** The config as key → typed value (numbers, lists, strings), in file order, for JSON. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data);
        m.put("out", out);
        m.put("batch", batch);
        m.put("lr", lr);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("adamEpsilon", adamEpsilon);
        m.put("nCritic", nCritic);
        m.put("lambdaGp", lambdaGp);
        m.put("latent", latent);
        m.put("generator.hidden", generatorHidden);
        m.put("generator.batchNormMomentum", generatorBatchNormMomentum);
        m.put("generator.batchNormEps", generatorBatchNormEps);
        m.put("critic.hidden", criticHidden);
        m.put("leakySlope", leakySlope);
        m.put("critic.activation", criticActivation.toString());
        m.put("critic.normalization", criticNormalization.toString());
        m.put("epochs", epochs);
        m.put("maxCriticIters", maxCriticIters);
        m.put("sampleInterval", sampleInterval);
        m.put("checkpointInterval", checkpointInterval);
        m.put("keepCheckpoints", keepCheckpoints);
        m.put("workers", workers);
        m.put("averagingFrequency", averagingFrequency);
        m.put("seed", seed);
        m.put("engine", engine.toString());
        m.put("blas.coreType", blasCoreType);
        return m;
    }

    /** This config with {@code out} set. */
    public JobConfig withOut(String newOut) {
        Map<String, String> m = toStrings();
        m.put("out", newOut);
        return fromMap(m, Map.of(), "out");
    }

    /** The networks and optimiser for images of {@code imageSize} pixels. */
    public WganGpConfig model(int imageSize) {
        return buildModel(latent, generatorHidden, leakySlope, generatorBatchNormMomentum,
                generatorBatchNormEps, criticHidden, criticActivation, criticNormalization, batch, lr, beta1, beta2,
                adamEpsilon, nCritic, lambdaGp, engine, imageSize);
    }

    /**
     * Names the training-shaping keys whose values differ from {@code saved}'s, as
     * "key=new (was old)" fragments, empty when the two train identically.
     */
    public List<String> trainingDifferences(JobConfig saved) {
        Map<String, String> mine = toStrings();
        Map<String, String> theirs = saved.toStrings();
        List<String> diffs = new ArrayList<>();
        for (String key : keys()) {
            if (TRAINING_KEYS.contains(key) && !mine.get(key).equals(theirs.get(key))) {
                diffs.add(key + "=" + mine.get(key) + " (was " + theirs.get(key) + ")");
            }
        }
        return diffs;
    }

    /**
     * Keys a resumed run may set anew: those outside {@link #TRAINING_KEYS}, which change where and
     * how long it trains or (engine, blas.coreType) the last float bits, not what it learns.
     */
    public static List<String> resumableKeys() {
        return keys().stream().filter(key -> !TRAINING_KEYS.contains(key)).toList();
    }

    /** An explicit kernel as given; none means the environment's choice, resolved here at the edge. */
    private static String blasCoreType(String value) {
        return value.isBlank() ? BlasKernel.fromEnvironment() : value.trim();
    }

    private static IllegalArgumentException unknownKey(String key, String source) {
        return new IllegalArgumentException("unknown configuration key '" + key + "' (" + source + "); known keys: "
                + String.join(", ", new TreeMap<>(defaults()).keySet()));
    }

    private static int integer(Map<String, String> v, String key) {
        return parse(v, key, s -> {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer");
            }
        });
    }

    private static long longValue(Map<String, String> v, String key) {
        return parse(v, key, s -> {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer");
            }
        });
    }

    private static double real(Map<String, String> v, String key) {
        return parse(v, key, s -> {
            try {
                double d = Double.parseDouble(s);
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("not a finite number");
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number");
            }
        });
    }

    private static List<Integer> widths(Map<String, String> v, String key) {
        return parse(v, key, s -> {
            List<Integer> out = new ArrayList<>();
            for (String part : s.split(",")) {
                int w;
                try {
                    w = Integer.parseInt(part.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a comma-separated list of positive integers");
                }
                if (w <= 0) {
                    throw new IllegalArgumentException("not a comma-separated list of positive integers");
                }
                out.add(w);
            }
            return out;
        });
    }

    private static <T> T parse(Map<String, String> v, String key, Function<String, T> parser) {
        String raw = v.get(key).trim();
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "=" + raw + ": " + e.getMessage(), e);
        }
    }

    private static String join(List<?> list) {
        StringBuilder b = new StringBuilder();
        for (Object o : list) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(o);
        }
        return b.toString();
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(key + "=" + value + ": " + rule);
        }
    }

    @Override
    public String toString() {
        return "JobConfig" + toStrings();
    }

    private static WganGpConfig buildModel(int latent, List<Integer> generatorHidden, double leakySlope,
                                           double momentum, double eps, List<Integer> criticHidden,
                                           Activation activation, Normalization normalization, int batch, double lr,
                                           double beta1, double beta2, double adamEpsilon, int nCritic,
                                           double lambdaGp, Engine engine, int imageSize) {
        GeneratorSpec g = new GeneratorSpec(latent, generatorHidden, leakySlope, imageSize, momentum, eps);
        CriticSpec c = new CriticSpec(imageSize, criticHidden, activation, leakySlope, normalization);
        return new WganGpConfig(g, c, batch, lr, beta1, beta2, adamEpsilon, nCritic, lambdaGp, engine);
    }
}
