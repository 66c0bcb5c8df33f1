package wgangp.model;

/** A critic configuration for which the exact gradient penalty is not available. */
public class UnsupportedCriticException extends IllegalArgumentException {
    public UnsupportedCriticException(String message) {
        super(message);
    }
}
