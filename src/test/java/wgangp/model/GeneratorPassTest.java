package wgangp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Stacked batches through one forward equal the same batches through separate forwards. */
class GeneratorPassTest {
    private final GeneratorSpec spec = new GeneratorSpec(8, List.of(6, 12, 10), 0.2, 20, 0.1, 1e-5);

    @Test
    void stackedForwardEqualsSeparateForwards() {
        Generator stacked = Generator.initialise(spec, DataType.FLOAT, new SplittableRandom(4));
        Generator separate = Generator.wrap(spec, stacked.params().dup(), stacked.batchNormStats().dup());
        int batch = 5;
        int groups = 3;
        INDArray z = Nd4j.randn(DataType.FLOAT, (long) batch * groups, 8);

        GeneratorPass all = stacked.pass(Engine.HOST, batch, groups);
        all.z().assign(z);
        INDArray images = all.forward();

        GeneratorPass one = separate.pass(Engine.HOST, batch, 1);
        for (int g = 0; g < groups; g++) {
            one.z().assign(z.get(NDArrayIndex.interval(g * batch, (g + 1) * batch), NDArrayIndex.all()));
            INDArray expected = one.forward();
            INDArray actual = images.get(NDArrayIndex.interval(g * batch, (g + 1) * batch), NDArrayIndex.all());
            assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 1e-6, "batch " + g);
        }
        // running statistics moved batch after batch, in the same order
        assertEquals(0.0, stacked.batchNormStats().sub(separate.batchNormStats()).amaxNumber().doubleValue(), 1e-6);
        assertThrows(IllegalStateException.class, () -> all.backward(images.dup()));
    }
}
