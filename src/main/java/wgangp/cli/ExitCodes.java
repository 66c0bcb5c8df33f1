package wgangp.cli;

/** Process exit codes, documented in the README. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A check ran and failed: gradients out of tolerance, or training produced NaN/Inf. */
    public static final int CHECK_FAILED = 1;
    /** Bad command line or configuration: unknown key, out-of-range value. */
    public static final int BAD_CONFIG = 2;
    /** Input data missing, unreadable or malformed. */
    public static final int BAD_INPUT = 3;
    /** The run directory exists and neither --resume nor --overwrite was given. */
    public static final int RUN_DIRECTORY_EXISTS = 4;
    /** Anything else: a bug or an environment failure; the stack trace is printed. */
    public static final int INTERNAL_ERROR = 70;

    private ExitCodes() {
    }
}
