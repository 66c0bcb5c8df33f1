package wgangp.eval;

import java.io.Serializable;
import java.util.Objects;

/**
 * A trained {@link DigitClassifier} as plain values, the form it is broadcast in: executors
 * rebuild the network from these rather than deserialising a network object.
 *
 * @param configurationJson DL4J's JSON of the layer configuration
 * @param parameters        the flat parameter vector
 */
public record ClassifierWeights(String configurationJson, float[] parameters) implements Serializable {
    public ClassifierWeights {
        Objects.requireNonNull(configurationJson, "configurationJson");
        Objects.requireNonNull(parameters, "parameters");
    }
}
