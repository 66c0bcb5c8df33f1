/**
 * The job's entry point, in the default package so that {@code spark-submit --class WganGpJob}
 * finds it; everything else lives in {@code wgangp.cli}.
 */
public final class WganGpJob {
    private WganGpJob() {
    }

    public static void main(String[] args) {
        System.exit(wgangp.cli.Main.run(args));
    }
}
