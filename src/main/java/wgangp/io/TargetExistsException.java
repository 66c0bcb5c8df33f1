package wgangp.io;

import java.io.IOException;

/** A copy refused because its target already holds something that --overwrite did not allow replacing. */
public class TargetExistsException extends IOException {
    private static final long serialVersionUID = 1L;

    public TargetExistsException(String message) {
        super(message);
    }
}
