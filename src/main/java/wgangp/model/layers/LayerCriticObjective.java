package wgangp.model.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.CriticObjective;
import wgangp.model.GradientPenalty;
import wgangp.model.NativeArrays;
import wgangp.model.kernels.Kernels;

/**
 * {@link CriticObjective} for a critic {@link LayerNetwork} on an engine's {@link Kernels}. One forward of the stacked rows [real; fake; x̂] and one backward whose output gradient is
 * −1/B on real rows, +1/B on fake rows (the Wasserstein term) and 1 on x̂ rows (the penalty's
 * adjoint pass, whose input gradient is g = ∇ₓD(x̂)). Then {@link GradientPenalty} seeds the tangent
 * v = ∂(λP)/∂g, each layer's {@link CriticLayer#tangent} pushes it forward with the masks of x̂, and
 * each layer's own weight-gradient op called with (tangent, adjoint) gives the penalty's weight
 * gradient, its bias gradient being zero.
 */
public final class LayerCriticObjective implements CriticObjective {
    private final LayerNetwork critic;
    private final Kernels kernels;
    private final LayerWeights[] weights;
    private final LayerWeights[] gradientViews;
    private final GradientPenalty penalty;
    private final int batch;
    private final INDArray stacked;
    private final INDArray real;
    private final INDArray fake;
    private final INDArray interpolates;
    private final INDArray gradient;
    private final INDArray criticOutputGradient;
    private final INDArray generatorOutputGradient;

    /** @param params the critic's flat parameters (not copied: the optimizer's updates are seen here) */
    public LayerCriticObjective(LayerNetwork critic, Kernels kernels, INDArray params, int batch, double lambdaGp) {
        this.critic = critic;
        this.kernels = kernels;
        this.weights = critic.bind(params, null);
        this.penalty = new GradientPenalty(lambdaGp);
        this.batch = batch;
        long inputSize = Shapes.length(critic.inputShape());
        DataType dt = params.dataType();
        stacked = Nd4j.create(dt, 3L * batch, inputSize);
        real = Shapes.rows(stacked, 0, batch);
        fake = Shapes.rows(stacked, batch, 2L * batch);
        interpolates = Shapes.rows(stacked, 2L * batch, 3L * batch);
        gradient = Nd4j.create(dt, params.length());
        gradientViews = critic.bind(gradient, null);
        criticOutputGradient = Nd4j.create(dt, 3L * batch, 1);
        Shapes.rows(criticOutputGradient, 0, batch).assign(-1.0 / batch);
        Shapes.rows(criticOutputGradient, batch, 2L * batch).assign(1.0 / batch);
        Shapes.rows(criticOutputGradient, 2L * batch, 3L * batch).assign(1.0);
        generatorOutputGradient = Nd4j.valueArrayOf(new long[] {batch, 1}, -1.0 / batch, dt);
    }

    @Override
    public INDArray realRows() {
        return real;
    }

    @Override
    public INDArray fakeRows() {
        return fake;
    }

    @Override
    public INDArray gradient() {
        return gradient;
    }

    @Override
    public CriticLoss criticLossGradient(INDArray epsilon) {
        // x̂ = ε·real + (1 − ε)·fake
        interpolates.assign(real.sub(fake).muliColumnVector(epsilon.reshape(batch, 1)).addi(fake));
        INDArray[] activations = critic.forward(stacked, weights, Layer.Mode.TRAINING, kernels);
        INDArray scores = activations[activations.length - 1];
        double wassersteinTerm = Shapes.rows(scores, batch, 2L * batch).meanNumber().doubleValue()
                - Shapes.rows(scores, 0, batch).meanNumber().doubleValue();

        INDArray[] deltas = new INDArray[critic.layers().size()];
        INDArray inputGradient = critic.backward(activations, criticOutputGradient, weights, deltas, null, kernels);
        INDArray tangent = Shapes.rows(inputGradient, 2L * batch, 3L * batch).dup('c');
        double gradientPenalty = penalty.seedTangentWithOps(tangent.reshape(batch, -1)).meanNumber().doubleValue();

        gradient.assign(0);
        for (int l = 0; l < deltas.length; l++) {
            Layer layer = critic.layers().get(l);
            INDArray input = activations[l];
            layer.weightGradient(Shapes.rows(input, 0, 2L * batch), Shapes.rows(deltas[l], 0, 2L * batch),
                    weights[l], gradientViews[l], true, kernels);
            layer.weightGradient(tangent, Shapes.rows(deltas[l], 2L * batch, 3L * batch), weights[l],
                    gradientViews[l], false, kernels);
            if (l + 1 < deltas.length) {
                tangent = ((CriticLayer) layer).tangent(tangent, Shapes.rows(input, 2L * batch, 3L * batch),
                        weights[l], kernels);
            }
        }
        return new CriticLoss(wassersteinTerm + penalty.lambdaGp() * gradientPenalty, wassersteinTerm,
                gradientPenalty);
    }

    @Override
    public double generatorLossGradient(INDArray images, INDArray imageGradient) {
        INDArray[] activations = critic.forward(images, weights, Layer.Mode.TRAINING, kernels);
        double loss = -activations[activations.length - 1].meanNumber().doubleValue();
        INDArray inputGradient = critic.backward(activations, generatorOutputGradient, weights, null, null, kernels);
        imageGradient.assign(inputGradient.reshape(imageGradient.shape()));
        return loss;
    }

    @Override
    public void close() {
        NativeArrays.close(stacked, gradient, criticOutputGradient, generatorOutputGradient);
    }
}
