package wgangp.eval;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The small convolutional network whose penultimate layer is the feature space of the FID and
 * whose softmax names the digit a generated image shows:
 *
 * <pre>
 *   28×28×1 → conv 5×5×8, ReLU → max-pool 2 → conv 5×5×16, ReLU → max-pool 2
 *           → dense 128, ReLU (the features) → dense 10, softmax
 * </pre>
 *
 * Pixels enter as uint8 / 255, so real IDX images, generated ones quantised to IDX and files
 * written by other tools all meet the network the same way.
 */
public final class DigitClassifier {
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;
    public static final int CLASSES = 10;
    public static final int FEATURES = 128;
    /** The dense layer whose activations are the features (the layer before the softmax). */
    private static final int FEATURE_LAYER = 4;
    private static final int BATCH = 256;

    private final MultiLayerNetwork network;

    private DigitClassifier(MultiLayerNetwork network) {
        this.network = network;
    }

    /** A freshly initialised network, ready for training. */
    public static DigitClassifier untrained(long seed, double learningRate) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(seed, learningRate));
        net.init();
        return new DigitClassifier(net);
    }

    static MultiLayerConfiguration configuration(long seed, double learningRate) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(FEATURES).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutionalFlat(SIDE, SIDE, 1))
                .build();
    }

    /**
     * Wraps a network read from somewhere else after checking it is this architecture's shape
     * (784 pixels in, 128 features, 10 classes out); {@code source} names it in the message.
     */
    public static DigitClassifier of(MultiLayerNetwork network, String source) {
        List<NeuralNetConfiguration> layers = network.getLayerWiseConfigurations().getConfs();
        boolean shape = layers.size() == FEATURE_LAYER + 2
                && layers.get(FEATURE_LAYER).getLayer() instanceof DenseLayer dense && dense.getNOut() == FEATURES
                && layers.get(FEATURE_LAYER + 1).getLayer() instanceof OutputLayer out && out.getNOut() == CLASSES
                && layers.get(0).getLayer() instanceof FeedForwardLayer first && first.getNIn() == 1;
        if (!shape) {
            throw new IllegalArgumentException(source + " is not this job's digit classifier (28x28 input, "
                    + FEATURES + " features, " + CLASSES + " classes); delete it to have a new one trained");
        }
        return new DigitClassifier(network);
    }

    /** The network rebuilt from broadcast weights, on an executor. */
    public static DigitClassifier of(ClassifierWeights weights) {
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(weights.configurationJson()));
        net.init(Nd4j.createFromArray(weights.parameters()).reshape(1, weights.parameters().length), false);
        return new DigitClassifier(net);
    }

    public MultiLayerNetwork network() {
        return network;
    }

    /** Configuration and parameters as plain values: what travels to the executors. */
    public ClassifierWeights weights() {
        return new ClassifierWeights(network.getLayerWiseConfigurations().toJson(),
                network.params().dup().toFloatVector());
    }

    /** The network's input for uint8 pixels: [count, 784] floats in [0, 1]. */
    public static INDArray input(byte[] pixels, int from, int count) {
        float[] x = new float[count * PIXELS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (pixels[from * PIXELS + i] & 0xff) / 255f;
        }
        return Nd4j.createFromArray(x).reshape(count, PIXELS);
    }

    /** Features and class probabilities of {@code count} images of uint8 pixels, in inference mode. */
    public Scores score(byte[] pixels, int count) {
        if ((long) count * PIXELS != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " bytes are not " + count + " images of " + PIXELS
                    + " pixels");
        }
        double[][] features = new double[count][];
        float[][] probabilities = new float[count][];
        for (int from = 0; from < count; from += BATCH) {
            int n = Math.min(BATCH, count - from);
            List<INDArray> activations = network.feedForward(input(pixels, from, n), false);
            // activations.get(0) is the input, get(i + 1) the output of layer i.
            double[][] f = activations.get(FEATURE_LAYER + 1).toDoubleMatrix();
            float[][] p = activations.get(FEATURE_LAYER + 2).toFloatMatrix();
            System.arraycopy(f, 0, features, from, n);
            System.arraycopy(p, 0, probabilities, from, n);
        }
        return new Scores(features, probabilities);
    }

    /** Per image: the penultimate layer's activations and the softmax output. */
    public record Scores(double[][] features, float[][] probabilities) {
    }
}
