/**
 * The job's entry point, in the default package so that {@code spark-submit --class WganGpJob}
 * finds it; everything else lives in {@code wgangp.cli}.
 */
public final class WganGpJob {
    private WganGpJob() {
    }

    /**
     * Exits with the command's code, except after success in YARN cluster mode: there the
     * ApplicationMaster runs this method and records success only when it returns; any System.exit,
     * even with 0, ends the application as FAILED. Elsewhere the exit is needed: a JVM that ran
     * Spark barrier tasks (this one, on a local master) keeps a non-daemon timer thread of Spark's
     * alive after the job (SPARK-49479), and would never end by itself.
     */
    public static void main(String[] args) {
        int code = wgangp.cli.Main.run(args);
        if (code != wgangp.cli.ExitCodes.OK || !"cluster".equals(System.getProperty("spark.submit.deployMode"))) {
            System.exit(code);
        }
    }
}
