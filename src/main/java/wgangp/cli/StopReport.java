package wgangp.cli;

import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/** The one line a train stopped by a signal prints: where the run stands and how to continue it. */
final class StopReport {
    /**
     * Set by submit.sh: how it was invoked, up to the job's command (the script and its
     * spark-submit options, shell-quoted), so that the resume command is the user's own.
     */
    static final String SUBMIT_COMMAND_ENV = "WGANGP_SUBMIT_COMMAND";
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private StopReport() {
    }

    /**
     * E.g. "stopped by SIGINT at step 24 of 48; newest complete checkpoint: R/checkpoints/step-0000024;
     * resume with: ./submit.sh train --out R --resume".
     *
     * @param atOnce     a second signal: the round in flight was abandoned
     * @param checkpoint the newest complete checkpoint's path, or null when there is none
     */
    static String line(StopSignals.Stop stop, boolean atOnce, long step, long total, String checkpoint,
                       String resumeCommand) {
        return (atOnce ? "stopped at once by a second " + stop.displayName() + " after step " + step
                        + " (the round in flight is lost)"
                        : "stopped by " + stop.displayName() + " at step " + step + " of " + total)
                + "; newest complete checkpoint: " + (checkpoint == null ? "none (a resume starts again from step 0)"
                        : checkpoint)
                + "; resume with: " + resumeCommand;
    }

    /**
     * The command that continues the run in {@code out}: submit.sh's own invocation when it
     * launched the job, else spark-submit with this application's master, deploy mode and jar.
     */
    static String resumeCommand(String out, SparkConf spark) {
        String job = "train --out " + quote(out) + " --resume";
        String submit = System.getenv(SUBMIT_COMMAND_ENV);
        if (submit != null && !submit.isBlank()) {
            return submit.trim() + " " + job;
        }
        StringBuilder b = new StringBuilder("spark-submit");
        if (spark.contains("spark.master")) {
            b.append(" --master ").append(quote(spark.get("spark.master")));
        }
        if (spark.contains("spark.submit.deployMode")) {
            b.append(" --deploy-mode ").append(quote(spark.get("spark.submit.deployMode")));
        }
        b.append(" --class WganGpJob ").append(quote(applicationJar())).append(' ').append(job);
        return b.toString();
    }

    /** A word as a POSIX shell reads it back: as it is when plain, else in single quotes. */
    static String quote(String word) {
        return PLAIN_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static String applicationJar() {
        try {
            return java.nio.file.Path.of(StopReport.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return "spark-wgan-gp.jar";
        }
    }
}
