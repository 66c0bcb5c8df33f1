package wgangp.data;

/**
 * A training-data file that cannot be used as it is. The message is one sentence naming the
 * file, what is wrong with it and what to do about it, so it can be shown to the user unchanged.
 */
public class InvalidDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidDataException(String message) {
        super(message);
    }

    public InvalidDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
