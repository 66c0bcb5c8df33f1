package wgangp.io;

import java.io.IOException;

/** A train refused its run directory: another driver owns it, or it holds something not to be replaced. */
public class RunRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    public RunRefusedException(String message) {
        super(message);
    }
}
