package wgangp.model.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.GeneratorPass;
import wgangp.model.NativeArrays;
import wgangp.model.kernels.Kernels;

/**
 * {@link GeneratorPass} for a generator {@link LayerNetwork} on an engine's {@link Kernels}. The {@code groups}
 * stacked batches are forwarded one after another, each BatchNorm-normalized with its own statistics
 * and moving the running statistics in turn, as that many PyTorch training-mode forwards would; the
 * backward pass uses the last batch's activations.
 */
public final class LayerGeneratorPass implements GeneratorPass {
    private final LayerNetwork generator;
    private final Kernels kernels;
    private final LayerWeights[] weights;
    private final LayerWeights[] gradientViews;
    private final int batch;
    private final int groups;
    private final INDArray z;
    private final INDArray images;
    private final INDArray gradient;
    private INDArray[] lastActivations;

    /**
     * @param params the generator's flat parameters and {@code statistics} its running statistics
     *               (not copied: updates go through both ways)
     */
    public LayerGeneratorPass(LayerNetwork generator, Kernels kernels, INDArray params, INDArray statistics, int batch,
                              int groups) {
        this.generator = generator;
        this.kernels = kernels;
        this.weights = generator.bind(params, statistics);
        this.batch = batch;
        this.groups = groups;
        DataType dt = params.dataType();
        z = Nd4j.create(dt, (long) groups * batch, Shapes.length(generator.inputShape()));
        images = Nd4j.create(dt, (long) groups * batch, Shapes.length(generator.outputShape()));
        gradient = Nd4j.create(dt, params.length());
        gradientViews = generator.bind(gradient, null);
    }

    @Override
    public INDArray z() {
        return z;
    }

    @Override
    public INDArray images() {
        return images;
    }

    @Override
    public INDArray gradient() {
        return gradient;
    }

    @Override
    public INDArray forward() {
        for (int g = 0; g < groups; g++) {
            long from = (long) g * batch;
            lastActivations = generator.forward(Shapes.rows(z, from, from + batch), weights, Layer.Mode.TRAINING, kernels);
            INDArray out = lastActivations[lastActivations.length - 1];
            Shapes.rows(images, from, from + batch).assign(out.reshape(batch, images.size(1)));
        }
        return images;
    }

    @Override
    public void backward(INDArray imageGradient) {
        if (lastActivations == null || groups != 1) {
            throw new IllegalStateException("backward needs a single-batch pass after forward()");
        }
        gradient.assign(0);
        generator.backward(lastActivations, imageGradient, weights, null, gradientViews, kernels);
    }

    @Override
    public void close() {
        NativeArrays.close(z, images, gradient);
    }
}
