package wgangp.distributed;

/** Training produced NaN or an infinity; nothing of the bad round has been written. */
public final class NonFiniteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteException(long step, String quantity) {
        super("training diverged in the round ending at generator step " + step + ": the " + quantity
                + " holds NaN or an infinity; the last checkpoint before it is kept. Lower lr or raise lambdaGp"
                + " and resume from it, or start again with another seed.");
    }
}
