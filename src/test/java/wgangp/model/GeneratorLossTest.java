package wgangp.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** L_G = −mean D(G(z)): its image gradient is right, and the critic is left alone. */
class GeneratorLossTest {
    private static final int BATCH = 4;
    private final CriticSpec spec = new CriticSpec(6, List.of(5, 3), Activation.LEAKYRELU, 0.2, Normalization.NONE);

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"HOST", "DEVICE"})
    void imageGradientMatchesFiniteDifferencesAndCriticIsUntouched(Engine engine) {
        Critic critic = Critic.initialise(spec, DataType.FLOAT, new java.util.SplittableRandom(5));
        float[] paramsBefore = critic.params().toFloatVector();
        CriticObjective objective = critic.objective(engine, BATCH, 10.0);
        float[] gradientBefore = objective.gradient().toFloatVector();
        INDArray images = Nd4j.rand(DataType.FLOAT, BATCH, 6).subi(0.5).muli(2);
        INDArray imageGradient = Nd4j.create(DataType.FLOAT, BATCH, 6);

        double loss = objective.generatorLossGradient(images, imageGradient);

        Critic exact = Critic.wrap(spec, critic.params().castTo(DataType.DOUBLE));
        INDArray x = images.castTo(DataType.DOUBLE);
        assertEquals(-exact.score(x).meanNumber().doubleValue(), loss, 1e-6);
        double h = 1e-6;
        for (int r = 0; r < BATCH; r++) {
            for (int c = 0; c < 6; c++) {
                double original = x.getDouble(r, c);
                x.putScalar(r, c, original + h);
                double plus = -exact.score(x).meanNumber().doubleValue();
                x.putScalar(r, c, original - h);
                double minus = -exact.score(x).meanNumber().doubleValue();
                x.putScalar(r, c, original);
                assertEquals((plus - minus) / (2 * h), imageGradient.getDouble(r, c), 1e-5, "dL/dx[" + r + "," + c + "]");
            }
        }
        assertTrue(imageGradient.amaxNumber().doubleValue() > 1e-3, "the loss reaches the images");
        assertArrayEquals(paramsBefore, critic.params().toFloatVector(), "critic weights untouched");
        assertArrayEquals(gradientBefore, objective.gradient().toFloatVector(), "no critic gradient from L_G");
    }
}
