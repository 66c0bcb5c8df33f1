package wgangp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.layers.LayerNetwork;

/** The MLP generator as a layer network: the same flat vectors as {@link Generator}, tensor for tensor. */
class GeneratorSpecTest {

    @Test
    void asALayerNetworkItHasTheGeneratorsFlatLayoutStatisticsAndInitialWeights() {
        GeneratorSpec spec = new GeneratorSpec(6, List.of(4, 8, 5), 0.2, 9, 0.1, 1e-5);
        LayerNetwork network = spec.network();
        assertEquals(CriticSpecTest.describe(Generator.layoutOf(spec)), CriticSpecTest.describe(network.layout()));
        assertEquals(Generator.statsLength(spec), network.statisticsLength());

        INDArray params = Nd4j.create(DataType.FLOAT, network.parameterLength());
        INDArray statistics = Nd4j.create(DataType.FLOAT, network.statisticsLength());
        network.initialise(params, statistics, new SplittableRandom(8));
        Generator expected = Generator.initialise(spec, DataType.FLOAT, new SplittableRandom(8));
        assertEquals(expected.params(), params);
        assertEquals(expected.batchNormStats(), statistics);
    }
}
