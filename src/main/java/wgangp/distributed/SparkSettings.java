package wgangp.distributed;

import java.util.Map;
import org.apache.spark.SparkConf;
import wgangp.train.BlasKernel;

/**
 * What a job that trains or scores on Spark adds to the SparkConf that spark-submit left, before
 * its SparkContext starts: Java serialization, and the environment variables it hands to each of
 * its JVMs itself.
 *
 * <p>The variables are set here because a shell's environment does not reach YARN containers and
 * hosts differ: the BLAS kernel ({@link BlasKernel}). Set on the job's own SparkConf before the
 * SparkContext starts, {@code spark.executorEnv.*} reaches every executor on every master, and
 * {@code spark.yarn.appMasterEnv.*} the ApplicationMaster that client mode starts. In cluster mode
 * the ApplicationMaster is this driver, already running: it pins its own kernel in-process
 * ({@link BlasKernel#pin}), and submit.sh forwards the submitting shell's variables to it so that
 * they decide the default there too.
 */
public final class SparkSettings {
    static final String EXECUTOR_ENV = "spark.executorEnv.";
    static final String APP_MASTER_ENV = "spark.yarn.appMasterEnv.";
    private static final String JAVA_SERIALIZER = "org.apache.spark.serializer.JavaSerializer";

    private SparkSettings() {
    }

    /** Spark's settings as spark-submit left them, with {@link #forJob}'s. */
    public static SparkConf fromSubmit() {
        return forJob(new SparkConf());
    }

    /**
     * {@code conf} with an app name if none was given, and the Java serializer, replacing another one
     * with a warning: the jobs ship Java records (the state, shards, losses), and Kryo 4, which
     * Spark 3.5 bundles, cannot serialize records.
     */
    public static SparkConf forJob(SparkConf conf) {
        conf.setIfMissing("spark.app.name", "wgan-gp");
        String serializer = conf.get("spark.serializer", JAVA_SERIALIZER);
        if (!serializer.equals(JAVA_SERIALIZER)) {
            System.err.println("warning: spark.serializer=" + serializer + " replaced by " + JAVA_SERIALIZER
                    + ": this job's records need Java serialization");
        }
        return conf.set("spark.serializer", JAVA_SERIALIZER);
    }

    /**
     * Adds the variables for {@code coreType} (and the driver's OPENBLAS_L2_SIZE, if set) to
     * {@code conf} for executors and the ApplicationMaster, replacing other values with a warning:
     * the run's key decides.
     */
    public static SparkConf pinBlasKernel(SparkConf conf, String coreType, Map<String, String> driverEnvironment) {
        for (Map.Entry<String, String> e : BlasKernel.environment(coreType, driverEnvironment).entrySet()) {
            for (String prefix : new String[] {EXECUTOR_ENV, APP_MASTER_ENV}) {
                String key = prefix + e.getKey();
                String given = conf.get(key, null);
                if (given != null && !given.equals(e.getValue())) {
                    System.err.println("warning: " + key + "=" + given + " replaced by " + e.getValue()
                            + " (blas.coreType decides the kernel of every JVM of a run)");
                }
                conf.set(key, e.getValue());
            }
        }
        return conf;
    }
}
