package wgangp.cli;

import java.util.Map;
import org.apache.spark.SparkConf;
import wgangp.train.BlasKernel;

/**
 * The environment variables a run hands to each of its JVMs itself, because a shell's environment
 * does not reach YARN containers and hosts differ: the BLAS kernel ({@link BlasKernel}).
 *
 * <p>Set on the job's own SparkConf before the SparkContext starts, {@code spark.executorEnv.*}
 * reaches every executor on every master, and {@code spark.yarn.appMasterEnv.*} the
 * ApplicationMaster that client mode starts. In cluster mode the ApplicationMaster is this driver,
 * already running: it pins its own kernel in-process ({@link BlasKernel#pin}), and submit.sh
 * forwards the submitting shell's variables to it so that they decide the default there too.
 */
final class RunEnvironment {
    static final String EXECUTOR_ENV = "spark.executorEnv.";
    static final String APP_MASTER_ENV = "spark.yarn.appMasterEnv.";

    private RunEnvironment() {
    }

    /**
     * Adds the variables for {@code coreType} (and the driver's OPENBLAS_L2_SIZE, if set) to
     * {@code conf} for executors and the ApplicationMaster, replacing other values with a warning:
     * the run's key decides.
     */
    static SparkConf pinBlasKernel(SparkConf conf, String coreType, Map<String, String> driverEnvironment) {
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
