package wgangp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import wgangp.job.DefaultConfigs;

/**
 * The device engine (ND4J ops) against the host engine (fused loops, direct sgemm) on the reference
 * model at batch 64: the same gradients, tensor by tensor, to float32 rounding. (Both are checked
 * against independent oracles elsewhere: finite differences and the PyTorch fixture.)
 */
class EngineAgreementTest {
    private static final int BATCH = 64;
    private static final double TOLERANCE = 1e-5;
    private final CriticSpec criticSpec = DefaultConfigs.model(784).critic();
    private final GeneratorSpec generatorSpec = DefaultConfigs.model(784).generator();
    private final SplittableRandom random = new SplittableRandom(21);

    private INDArray uniform(long rows, long cols, double from, double to) {
        float[] v = new float[Math.toIntExact(rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextDouble(from, to);
        }
        return Nd4j.createFromArray(v).reshape(rows, cols);
    }

    private record CriticResult(CriticObjective.CriticLoss loss, INDArray gradient) {
    }

    private static CriticResult criticGradient(Engine engine, Critic critic, INDArray real, INDArray fake,
                                               INDArray eps, double lambda) {
        try (CriticObjective objective = critic.objective(engine, BATCH, lambda)) {
            objective.realRows().assign(real);
            objective.fakeRows().assign(fake);
            CriticObjective.CriticLoss loss = objective.criticLossGradient(eps);
            return new CriticResult(loss, objective.gradient().dup());
        }
    }

    /** max|device − host| / max|host| of one tensor. */
    private static double relativeError(INDArray device, INDArray host) {
        double scale = host.amaxNumber().doubleValue();
        assertTrue(scale > 0, "a tensor to compare must be non-zero");
        return device.sub(host).amaxNumber().doubleValue() / scale;
    }

    /**
     * Every tensor's relative error below the tolerance. A tensor that is zero in exact arithmetic
     * (the critic's output bias under the Wasserstein term, the generator biases that feed BatchNorm)
     * holds only rounding noise, so it is measured against the network's largest gradient.
     */
    private static void assertTensorsAgree(ParameterLayout layout, INDArray device, INDArray host, String what) {
        double networkScale = host.amaxNumber().doubleValue();
        for (ParameterLayout.Tensor t : layout.tensors()) {
            INDArray d = layout.view(device, t.name());
            INDArray h = layout.view(host, t.name());
            double scale = h.amaxNumber().doubleValue();
            double error = d.sub(h).amaxNumber().doubleValue() / (scale > 1e-6 * networkScale ? scale : networkScale);
            assertTrue(error < TOLERANCE, what + " " + t.name() + ": relative error " + error);
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void criticLossAndGradientAgree() {
        Critic critic = Critic.initialise(criticSpec, DataType.FLOAT, random);
        INDArray real = uniform(BATCH, 784, -1, 1);
        INDArray fake = Transforms.tanh(uniform(BATCH, 784, -2, 2), false);
        INDArray eps = uniform(BATCH, 1, 0, 1);
        CriticResult host = criticGradient(Engine.HOST, critic, real, fake, eps, 10.0);
        CriticResult device = criticGradient(Engine.DEVICE, critic, real, fake, eps, 10.0);
        assertClose(host.loss().criticLoss(), device.loss().criticLoss(), "critic loss");
        assertClose(host.loss().wassersteinTerm(), device.loss().wassersteinTerm(), "Wasserstein term");
        assertClose(host.loss().gradientPenalty(), device.loss().gradientPenalty(), "gradient penalty");
        assertTrue(host.loss().gradientPenalty() > 1e-3, "the penalty is active: " + host.loss().gradientPenalty());
        assertTensorsAgree(critic.layout(), device.gradient(), host.gradient(), "critic gradient");
    }

    @Test
    void gradientPenaltyGradientsAgree() {
        Critic critic = Critic.initialise(criticSpec, DataType.FLOAT, random);
        INDArray real = uniform(BATCH, 784, -1, 1);
        INDArray fake = uniform(BATCH, 784, -1, 1);
        INDArray eps = uniform(BATCH, 1, 0, 1);
        INDArray hostPenalty = criticGradient(Engine.HOST, critic, real, fake, eps, 10.0).gradient()
                .sub(criticGradient(Engine.HOST, critic, real, fake, eps, 0.0).gradient());
        INDArray devicePenalty = criticGradient(Engine.DEVICE, critic, real, fake, eps, 10.0).gradient()
                .sub(criticGradient(Engine.DEVICE, critic, real, fake, eps, 0.0).gradient());
        for (int l = 0; l < critic.layers(); l++) {
            String name = Critic.weightName(l);
            double error = relativeError(critic.layout().view(devicePenalty, name), critic.layout().view(hostPenalty, name));
            assertTrue(error < TOLERANCE, "penalty gradient of " + name + ": relative error " + error);
            assertEquals(0.0, critic.layout().view(devicePenalty, Critic.biasName(l)).amaxNumber().doubleValue(), 1e-7,
                    "the penalty gives biases no gradient");
        }
    }

    @Test
    void generatorLossImageGradientAgrees() {
        Critic critic = Critic.initialise(criticSpec, DataType.FLOAT, random);
        INDArray images = Transforms.tanh(uniform(BATCH, 784, -2, 2), false);
        INDArray hostGradient = Nd4j.create(DataType.FLOAT, BATCH, 784);
        INDArray deviceGradient = Nd4j.create(DataType.FLOAT, BATCH, 784);
        double hostLoss;
        double deviceLoss;
        try (CriticObjective host = critic.objective(Engine.HOST, BATCH, 10);
             CriticObjective device = critic.objective(Engine.DEVICE, BATCH, 10)) {
            hostLoss = host.generatorLossGradient(images, hostGradient);
            deviceLoss = device.generatorLossGradient(images, deviceGradient);
            // the generator loss after a critic evaluation on the same buffers still sees only its own rows
            device.realRows().assign(uniform(BATCH, 784, -1, 1));
            device.fakeRows().assign(uniform(BATCH, 784, -1, 1));
            device.criticLossGradient(uniform(BATCH, 1, 0, 1));
            INDArray again = Nd4j.create(DataType.FLOAT, BATCH, 784);
            assertEquals(deviceLoss, device.generatorLossGradient(images, again), 1e-7);
            assertEquals(0.0, again.sub(deviceGradient).amaxNumber().doubleValue(), 0.0);
        }
        assertClose(hostLoss, deviceLoss, "generator loss");
        assertTrue(relativeError(deviceGradient, hostGradient) < TOLERANCE,
                "image gradient relative error " + relativeError(deviceGradient, hostGradient));
    }

    @Test
    void generatorForwardBackwardAndBatchNormStatisticsAgree() {
        Generator host = Generator.initialise(generatorSpec, DataType.FLOAT, random);
        // γ, β away from their initial 1 and 0, so that BatchNorm's affine part is exercised too
        for (int k = 1; k < host.blocks(); k++) {
            host.gamma(k).assign(uniform(1, host.gamma(k).length(), 0.5, 1.5).reshape(host.gamma(k).shape()));
            host.beta(k).assign(uniform(1, host.beta(k).length(), -0.5, 0.5).reshape(host.beta(k).shape()));
        }
        Generator device = Generator.wrap(generatorSpec, host.params().dup(), host.batchNormStats().dup());
        int groups = 5;
        INDArray stackedZ = uniform((long) BATCH * groups, 100, -2, 2);
        try (GeneratorPass hostStacked = host.pass(Engine.HOST, BATCH, groups);
             GeneratorPass deviceStacked = device.pass(Engine.DEVICE, BATCH, groups)) {
            hostStacked.z().assign(stackedZ);
            deviceStacked.z().assign(stackedZ);
            INDArray hostImages = hostStacked.forward();
            INDArray deviceImages = deviceStacked.forward();
            assertTrue(relativeError(deviceImages, hostImages) < TOLERANCE, "stacked G(z)");
        }
        assertTrue(relativeError(device.batchNormStats(), host.batchNormStats()) < TOLERANCE,
                "running statistics after five stacked batches");

        INDArray z = uniform(BATCH, 100, -2, 2);
        INDArray upstream = uniform(BATCH, 784, -1e-3, 1e-3);
        try (GeneratorPass hostPass = host.pass(Engine.HOST, BATCH, 1);
             GeneratorPass devicePass = device.pass(Engine.DEVICE, BATCH, 1)) {
            hostPass.z().assign(z);
            devicePass.z().assign(z);
            assertTrue(relativeError(devicePass.forward(), hostPass.forward()) < TOLERANCE, "G(z)");
            hostPass.backward(upstream.dup());
            devicePass.backward(upstream.dup());
            assertTensorsAgree(host.layout(), devicePass.gradient(), hostPass.gradient(), "generator gradient");
            for (String name : Generator.biasesFeedingBatchNorm(generatorSpec)) {
                assertEquals(0.0, host.layout().view(devicePass.gradient(), name).amaxNumber().doubleValue(), 0.0,
                        name + " feeds BatchNorm: its gradient is exactly zero");
            }
        }
        assertTrue(relativeError(device.batchNormStats(), host.batchNormStats()) < TOLERANCE, "running statistics");
    }
}
