package wgangp.model;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.fused.FusedCriticObjective;
import wgangp.model.fused.FusedGeneratorPass;
import wgangp.model.kernels.DeviceKernels;
import wgangp.model.kernels.HostKernels;
import wgangp.model.layers.LayerCriticObjective;
import wgangp.model.layers.LayerGeneratorPass;
import wgangp.model.layers.LayerNetwork;

/** What the one place that chooses, {@link Engine}, chooses for each network and replica group. */
class EngineTest {
    /** Two replicas, as far as the choice of kernels is concerned; nothing is summed here. */
    private static final ReplicaGroup TWO = new ReplicaGroup() {
        @Override
        public int size() {
            return 2;
        }

        @Override
        public void sum(float[] values, int from, int length) {
            throw new AssertionError("not summed while choosing");
        }

        @Override
        public void sum(double[] values, int from, int length) {
            throw new AssertionError("not summed while choosing");
        }
    };

    @Test
    void kernelsOfEachEngineAndSynchronisedBatchNormOnTheHostOnly() {
        assertInstanceOf(HostKernels.class, Engine.HOST.kernels(TWO));
        assertInstanceOf(DeviceKernels.class, Engine.DEVICE.kernels(ReplicaGroup.SINGLE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.DEVICE.kernels(TWO));
        assertTrue(e.getMessage().contains("generator.batchNormSync=false"), e.getMessage());
    }

    @Test
    void theMlpIsFusedOnTheHostAndDcganNeverIs() {
        LayerNetwork critic = new CriticSpec(12, List.of(8), Activation.LEAKYRELU, 0.2, Normalization.NONE).network();
        LayerNetwork generator = new GeneratorSpec(4, List.of(6, 8), 0.2, 12, 0.1, 1e-5).network();
        DcganSpec dcgan = new DcganSpec(4, 2, 0.2, 0.1, 1e-5);
        INDArray c = Nd4j.zeros(DataType.FLOAT, critic.parameterLength());
        INDArray g = Nd4j.zeros(DataType.FLOAT, generator.parameterLength());
        INDArray s = Nd4j.zeros(DataType.FLOAT, generator.statisticsLength());
        assertInstanceOf(FusedCriticObjective.class, Engine.HOST.criticObjective(critic, c, 4, 10));
        assertInstanceOf(FusedGeneratorPass.class, Engine.HOST.generatorPass(generator, g, s, 4, 1, ReplicaGroup.SINGLE));
        assertInstanceOf(LayerCriticObjective.class, Engine.DEVICE.criticObjective(critic, c, 4, 10));
        assertInstanceOf(LayerGeneratorPass.class,
                Engine.DEVICE.generatorPass(generator, g, s, 4, 1, ReplicaGroup.SINGLE));
        INDArray dc = Nd4j.zeros(DataType.FLOAT, dcgan.critic().parameterLength());
        assertInstanceOf(LayerCriticObjective.class, Engine.HOST.criticObjective(dcgan.critic(), dc, 4, 10));
    }
}
