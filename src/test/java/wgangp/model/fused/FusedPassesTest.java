package wgangp.model.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.Activation;
import wgangp.model.CriticObjective;
import wgangp.model.CriticSpec;
import wgangp.model.DcganSpec;
import wgangp.model.GeneratorPass;
import wgangp.model.GeneratorSpec;
import wgangp.model.Normalization;
import wgangp.model.ReplicaGroup;
import wgangp.model.kernels.HostKernels;
import wgangp.model.layers.LayerCriticObjective;
import wgangp.model.layers.LayerGeneratorPass;
import wgangp.model.layers.LayerNetwork;

/**
 * The fused MLP passes against the layer passes over the same {@link LayerNetwork} on the same host
 * kernels: one definition of each network, two ways to compute it, the same numbers up to float32
 * rounding. (EngineAgreementTest holds them against the device kernels, GradientPenaltyTest against
 * finite differences.)
 */
class FusedPassesTest {
    private static final int BATCH = 6;
    private static final double TOLERANCE = 1e-5;
    private final SplittableRandom random = new SplittableRandom(31);

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"LEAKYRELU", "RELU", "IDENTITY"})
    void criticObjectiveComputesWhatTheLayerPassesDo(Activation activation) {
        LayerNetwork critic = new CriticSpec(10, List.of(9, 5), activation, 0.2, Normalization.NONE).network();
        INDArray params = Nd4j.create(DataType.FLOAT, critic.parameterLength());
        critic.initialise(params, null, random);
        INDArray real = uniform(BATCH, 10);
        INDArray fake = uniform(BATCH, 10);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, BATCH, 1);
        INDArray images = uniform(BATCH, 10);
        try (CriticObjective fused = new FusedCriticObjective(critic, params, BATCH, 10);
             CriticObjective layers = new LayerCriticObjective(critic, new HostKernels(ReplicaGroup.SINGLE), params,
                     BATCH, 10)) {
            for (CriticObjective o : List.of(fused, layers)) {
                o.realRows().assign(real);
                o.fakeRows().assign(fake);
            }
            CriticObjective.CriticLoss a = fused.criticLossGradient(epsilon);
            CriticObjective.CriticLoss b = layers.criticLossGradient(epsilon);
            assertEquals(b.criticLoss(), a.criticLoss(), TOLERANCE * Math.max(1, Math.abs(b.criticLoss())));
            assertClose(layers.gradient(), fused.gradient(), "critic gradient");
            INDArray fusedImageGradient = images.ulike();
            INDArray layerImageGradient = images.ulike();
            assertEquals(layers.generatorLossGradient(images, layerImageGradient),
                    fused.generatorLossGradient(images, fusedImageGradient), TOLERANCE);
            assertClose(layerImageGradient, fusedImageGradient, "image gradient");
        }
    }

    @Test
    void generatorPassComputesWhatTheLayerPassesDo() {
        LayerNetwork generator = new GeneratorSpec(8, List.of(7, 12, 9), 0.2, 11, 0.1, 1e-5).network();
        INDArray params = Nd4j.create(DataType.FLOAT, generator.parameterLength());
        INDArray fusedStatistics = Nd4j.create(DataType.FLOAT, generator.statisticsLength());
        generator.initialise(params, fusedStatistics, random);
        INDArray layerStatistics = fusedStatistics.dup();
        INDArray z = uniform(BATCH, 8);
        INDArray upstream = uniform(BATCH, 11);
        try (GeneratorPass fused = new FusedGeneratorPass(generator, params, fusedStatistics, BATCH, 1,
                ReplicaGroup.SINGLE);
             GeneratorPass layers = new LayerGeneratorPass(generator, new HostKernels(ReplicaGroup.SINGLE), params,
                     layerStatistics, BATCH, 1)) {
            fused.z().assign(z);
            layers.z().assign(z);
            assertClose(layers.forward(), fused.forward(), "G(z)");
            fused.backward(upstream.dup());
            layers.backward(upstream.dup());
            assertClose(layers.gradient(), fused.gradient(), "generator gradient");
        }
        assertClose(layerStatistics, fusedStatistics, "running statistics");
    }

    @Test
    void onlyNetworksOfAnMlpsShapeAreFused() {
        assertTrue(FusedCriticObjective.fits(referenceCritic()));
        assertTrue(FusedGeneratorPass.fits(new GeneratorSpec(100, List.of(128, 256), 0.2, 784, 0.1, 1e-5).network()));
        DcganSpec dcgan = new DcganSpec(16, 4, 0.2, 0.1, 1e-5);
        assertFalse(FusedCriticObjective.fits(dcgan.critic()));
        assertFalse(FusedGeneratorPass.fits(dcgan.generator()));
        // a generator is no critic (it ends in tanh) and a critic no generator
        assertFalse(FusedCriticObjective.fits(new GeneratorSpec(4, List.of(3), 0.2, 1, 0.1, 1e-5).network()));
        assertFalse(FusedGeneratorPass.fits(referenceCritic()));
    }

    /** The reference critic's shape, 784 → 512 → 256 → 1. */
    private static LayerNetwork referenceCritic() {
        return new CriticSpec(784, List.of(512, 256), Activation.LEAKYRELU, 0.2, Normalization.NONE).network();
    }

    private INDArray uniform(int rows, int cols) {
        double[] values = random.doubles((long) rows * cols, -1, 1).toArray();
        return Nd4j.createFromArray(values).reshape(rows, cols).castTo(DataType.FLOAT);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double error = expected.sub(actual).amaxNumber().doubleValue() / scale;
        assertTrue(error < TOLERANCE, what + ": relative error " + error);
    }
}
