package wgangp.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.kernels.DeviceKernels;
import wgangp.model.kernels.Kernels;
import wgangp.model.CriticObjective;

/**
 * The whole critic objective of a small convolutional critic, in double precision, against an
 * oracle built from forward passes only: ∇ₓD(x̂) by central differences in x (exact up to rounding,
 * D being piecewise-linear), the loss from it, and the loss's parameter gradient by central
 * differences in θ. No backward pass, tangent or weight-gradient op of the code under test is used.
 */
class LayerCriticObjectiveTest {
    private static final int BATCH = 3;
    private static final Kernels KERNELS = new DeviceKernels();
    private static final double LAMBDA = 10;
    private final SplittableRandom random = new SplittableRandom(5);

    private static LayerNetwork critic() {
        long[] image = {1, 6, 6};
        long[] mid = {2, 3, 3};
        return LayerNetwork.critic(new long[] {36}, List.of(
                new Reshape(new long[] {36}, image),
                new Conv2d("conv", image, 2, 4, 2, 1),
                new LeakyRelu(mid, 0.2),
                new Reshape(mid, 18),
                new Dense("fc", 18, 1)));
    }

    @Test
    void criticLossAndGradientMatchAForwardOnlyOracle() {
        LayerNetwork net = critic();
        INDArray params = gaussian(net.parameterLength()).muli(0.5);
        INDArray real = gaussian(BATCH * 36L).reshape(BATCH, 36);
        INDArray fake = gaussian(BATCH * 36L).reshape(BATCH, 36);
        INDArray epsilon = Nd4j.createFromArray(0.3, 0.7, 0.5).reshape(BATCH, 1);

        CriticObjective.CriticLoss loss;
        INDArray gradient;
        try (LayerCriticObjective objective = new LayerCriticObjective(net, KERNELS, params, BATCH, LAMBDA)) {
            objective.realRows().assign(real);
            objective.fakeRows().assign(fake);
            loss = objective.criticLossGradient(epsilon);
            gradient = objective.gradient().dup();
        }
        double oracleLoss = oracleLoss(net, params, real, fake, epsilon);
        assertEquals(oracleLoss, loss.criticLoss(), 1e-8 * Math.abs(oracleLoss));
        assertTrue(loss.gradientPenalty() > 0.01, "the penalty term matters here: " + loss.gradientPenalty());

        // the inner differences' rounding (~1e-16·|D|/1e-4) reaches the outer ones amplified by λ/h
        double h = 1e-4;
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, params.length());
        for (long i = 0; i < params.length(); i++) {
            double v = params.getDouble(i);
            params.putScalar(i, v + h);
            double up = oracleLoss(net, params, real, fake, epsilon);
            params.putScalar(i, v - h);
            double down = oracleLoss(net, params, real, fake, epsilon);
            params.putScalar(i, v);
            expected.putScalar(i, (up - down) / (2 * h));
        }
        double error = expected.sub(gradient).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
        assertTrue(error < 1e-6, "critic gradient relative error " + error);
    }

    @Test
    void generatorLossGradientIsTheImageGradientOfMinusMeanD() {
        LayerNetwork net = critic();
        INDArray params = gaussian(net.parameterLength()).muli(0.5);
        INDArray images = gaussian(BATCH * 36L).reshape(BATCH, 36);
        INDArray imageGradient = images.ulike();
        double loss;
        try (LayerCriticObjective objective = new LayerCriticObjective(net, KERNELS, params, BATCH, LAMBDA)) {
            loss = objective.generatorLossGradient(images, imageGradient);
        }
        assertEquals(-score(net, params, images).meanNumber().doubleValue(), loss, 1e-12);
        INDArray expected = inputGradient(net, params, images).divi(-BATCH);
        double error = expected.sub(imageGradient).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
        assertTrue(error < 1e-6, "image gradient relative error " + error);
    }

    /** L_D from forward passes: the penalty's ∇ₓD by central differences in x. */
    private static double oracleLoss(LayerNetwork net, INDArray params, INDArray real, INDArray fake,
                                     INDArray epsilon) {
        INDArray interpolates = real.mul(epsilon.broadcast(BATCH, 36))
                .addi(fake.mul(epsilon.rsub(1.0).broadcast(BATCH, 36)));
        INDArray g = inputGradient(net, params, interpolates);
        double penalty = 0;
        for (int b = 0; b < BATCH; b++) {
            double norm = g.getRow(b).norm2Number().doubleValue();
            penalty += (norm - 1) * (norm - 1) / BATCH;
        }
        double wasserstein = score(net, params, fake).meanNumber().doubleValue()
                - score(net, params, real).meanNumber().doubleValue();
        return wasserstein + LAMBDA * penalty;
    }

    /**
     * ∂D(x_b)/∂x_b for every row, by central differences: exact up to rounding while no LeakyReLU
     * input lies within h of its kink (the loss check would see one that did).
     */
    private static INDArray inputGradient(LayerNetwork net, INDArray params, INDArray x) {
        double h = 1e-4;
        INDArray out = x.ulike();
        for (long j = 0; j < x.columns(); j++) {
            INDArray up = x.dup();
            INDArray down = x.dup();
            up.getColumn(j).addi(h);
            down.getColumn(j).subi(h);
            out.getColumn(j).assign(score(net, params, up).sub(score(net, params, down)).divi(2 * h).reshape(-1));
        }
        return out;
    }

    private static INDArray score(LayerNetwork net, INDArray params, INDArray x) {
        INDArray[] a = net.forward(x, net.bind(params, null), Layer.Mode.TRAINING, KERNELS);
        return a[a.length - 1];
    }

    private INDArray gaussian(long n) {
        double[] values = new double[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return Nd4j.createFromArray(values);
    }
}
