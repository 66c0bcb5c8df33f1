package wgangp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.Activation;
import wgangp.model.CriticSpec;
import wgangp.model.GeneratorSpec;
import wgangp.model.Normalization;

class LocalTrainerTest {
    static final int IMAGE = 36;
    static WganGpConfig config;
    static INDArray data;

    @BeforeAll
    static void setUp() {
        NativeThreads.set(1);
        config = new WganGpConfig(new GeneratorSpec(8, List.of(16, 24), 0.2, IMAGE, 0.1, 1e-5),
                new CriticSpec(IMAGE, List.of(24, 12), Activation.LEAKYRELU, 0.2, Normalization.NONE),
                8, 2e-4, 0.5, 0.999, 1e-8, 3, 10);
        data = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 50, IMAGE).muli(2).subi(1);
    }

    @Test
    void sameInputsGiveTheSameBytes() {
        TrainingState start = WganGpStep.initialState(config, 11);
        LocalTrainer.RoundOutcome a = LocalTrainer.runRound(config, start, data, 5, 20, 1, 4);
        LocalTrainer.RoundOutcome b = LocalTrainer.runRound(config, start, data, 5, 20, 1, 4);
        assertTrue(a.state().sameValues(b.state()));
        assertEquals(a.losses(), b.losses());
        assertEquals(4, a.losses().count());
        assertEquals(4, a.state().generatorSteps());
        assertEquals(12, a.state().criticSteps());
        assertNull(a.state().firstNonFinite());
        assertNull(a.losses().firstNonFinite());
    }

    @Test
    void theRoundDoesNotTouchItsStartState() {
        TrainingState start = WganGpStep.initialState(config, 11);
        float[] before = start.generatorParams().clone();
        float[] criticBefore = start.criticParams().clone();
        TrainingState after = LocalTrainer.runRound(config, start, data, 5, 0, 0, 2).state();
        assertArrayEquals(before, start.generatorParams());
        assertArrayEquals(criticBefore, start.criticParams());
        assertFalse(java.util.Arrays.equals(before, after.generatorParams()));
        assertFalse(java.util.Arrays.equals(criticBefore, after.criticParams()));
    }

    @Test
    void partitionsAndRoundsDrawDifferentRandomness() {
        TrainingState start = WganGpStep.initialState(config, 11);
        TrainingState p0 = LocalTrainer.runRound(config, start, data, 5, 0, 0, 2).state();
        TrainingState p1 = LocalTrainer.runRound(config, start, data, 5, 0, 1, 2).state();
        TrainingState r1 = LocalTrainer.runRound(config, start, data, 5, 2, 0, 2).state();
        assertFalse(p0.sameValues(p1));
        assertFalse(p0.sameValues(r1));
    }

    @Test
    void trainIsRoundAfterRound() {
        TrainingState start = WganGpStep.initialState(config, 11);
        TrainingState looped = LocalTrainer.train(config, start, data, 9, 3, 7);
        TrainingState manual = start;
        manual = LocalTrainer.runRound(config, manual, data, 9, 0, 0, 3).state();
        manual = LocalTrainer.runRound(config, manual, data, 9, 3, 0, 3).state();
        manual = LocalTrainer.runRound(config, manual, data, 9, 6, 0, 1).state();
        assertTrue(looped.sameValues(manual));
        assertEquals(7, looped.generatorSteps());
    }
}
