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
    /**
     * The run directory exists and neither --resume nor --overwrite was given, or another driver
     * that is still live owns it (with or without them).
     */
    public static final int RUN_DIRECTORY_EXISTS = 4;
    /** The ND4J backend this build needs cannot load on this host: a CUDA build without the NVIDIA driver. */
    public static final int BACKEND_UNAVAILABLE = 69;
    /** Anything else: a bug or an environment failure; the stack trace is printed. */
    public static final int INTERNAL_ERROR = 70;
    /** train stopped by SIGINT (Ctrl-C) after writing its last round: 128 + the signal's number. */
    public static final int INTERRUPTED = 130;
    /** train stopped by SIGTERM after writing its last round: 128 + the signal's number. */
    public static final int TERMINATED = 143;

    private ExitCodes() {
    }
}
