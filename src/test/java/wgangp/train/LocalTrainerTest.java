package wgangp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.job.DefaultConfigs;

class LocalTrainerTest {
    static final int IMAGE = 36;
    static WganGpConfig config;
    static INDArray data;

    @BeforeAll
    static void setUp() {
        NativeThreads.set(1);
        config = DefaultConfigs.model(IMAGE, "latent", "8", "generator.hidden", "16,24", "critic.hidden", "24,12",
                "batch", "8", "nCritic", "3");
        data = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 50, IMAGE).muli(2).subi(1);
    }

    @Test
    void sameInputsGiveTheSameBytes() {
        TrainingState start = WganGpStep.initialState(config, 11);
        LocalTrainer.RoundOutcome a = LocalTrainer.runRound(config, start, data, 5, 20, 1, 4);
        LocalTrainer.RoundOutcome b = LocalTrainer.runRound(config, start, data, 5, 20, 1, 4);
        assertTrue(States.sameValues(a.state(), b.state()));
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
        assertFalse(States.sameValues(p0, p1));
        assertFalse(States.sameValues(p0, r1));
    }

    @Test
    void trainIsRoundAfterRound() {
        TrainingState start = WganGpStep.initialState(config, 11);
        TrainingState looped = LocalTrainer.train(config, start, data, 9, 3, 7);
        TrainingState manual = start;
        manual = LocalTrainer.runRound(config, manual, data, 9, 0, 0, 3).state();
        manual = LocalTrainer.runRound(config, manual, data, 9, 3, 0, 3).state();
        manual = LocalTrainer.runRound(config, manual, data, 9, 6, 0, 1).state();
        assertTrue(States.sameValues(looped, manual));
        assertEquals(7, looped.generatorSteps());
    }
}
