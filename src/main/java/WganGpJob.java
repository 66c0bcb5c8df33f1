/**
 * The job's entry point, in the default package so that {@code spark-submit --class WganGpJob}
 * finds it; everything else lives in {@code wgangp.cli}.
 */
public final class WganGpJob {
    private WganGpJob() {
    }

    /**
     * Exits with the command's code when it failed, and returns normally when it succeeded: in YARN
     * cluster mode the ApplicationMaster runs this method and records success only when it returns;
     * any System.exit, even with 0, ends the application as FAILED.
     */
    public static void main(String[] args) {
        int code = wgangp.cli.Main.run(args);
        if (code != wgangp.cli.ExitCodes.OK) {
            System.exit(code);
        }
    }
}
