package wgangp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static wgangp.train.TrainingState.Array.CRITIC_ADAM;
import static wgangp.train.TrainingState.Array.CRITIC_PARAMS;
import static wgangp.train.TrainingState.Array.GENERATOR_ADAM;
import static wgangp.train.TrainingState.Array.GENERATOR_BATCH_NORM_STATS;
import static wgangp.train.TrainingState.Array.GENERATOR_PARAMS;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingStateTest {

    /** A state whose array of each name is filled with that name's ordinal, so a mix-up shows. */
    static TrainingState labelled() {
        return TrainingState.of(name -> new float[] {name.ordinal(), name.ordinal()}, 7, 35);
    }

    @Test
    void eachAccessorReturnsTheArrayOfItsName() {
        TrainingState s = TrainingState.of(Map.of(
                GENERATOR_PARAMS, new float[] {1},
                GENERATOR_BATCH_NORM_STATS, new float[] {2},
                GENERATOR_ADAM, new float[] {3},
                CRITIC_PARAMS, new float[] {4},
                CRITIC_ADAM, new float[] {5}), 7, 35);
        assertEquals(1, s.generatorParams()[0]);
        assertEquals(2, s.generatorBatchNormStats()[0]);
        assertEquals(3, s.generatorAdam()[0]);
        assertEquals(4, s.criticParams()[0]);
        assertEquals(5, s.criticAdam()[0]);
        assertEquals(7, s.generatorSteps());
        assertEquals(35, s.criticSteps());
    }

    @Test
    void theListAndMapFormsRoundTrip() {
        TrainingState s = labelled();
        TrainingState viaList = TrainingState.fromList(s.arrays(), s.generatorSteps(), s.criticSteps());
        TrainingState viaMap = TrainingState.of(s.asMap(), s.generatorSteps(), s.criticSteps());
        assertTrue(States.sameValues(viaList, s));
        assertTrue(States.sameValues(viaMap, s));
        for (TrainingState.Array name : TrainingState.Array.values()) {
            assertSame(s.get(name), s.arrays().get(name.ordinal()));
            assertSame(s.get(name), viaMap.get(name));
            assertEquals(name.ordinal(), s.get(name)[0]);
        }
    }

    @Test
    void aMissingArrayIsRefusedByName() {
        Map<TrainingState.Array, float[]> arrays = new EnumMap<>(labelled().asMap());
        arrays.remove(CRITIC_ADAM);
        assertThrows(IllegalArgumentException.class, () -> TrainingState.of(arrays, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingState.of(name -> name == CRITIC_ADAM ? null : new float[0], 0, 0));
        assertTrue(e.getMessage().contains(CRITIC_ADAM.label()), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TrainingState.fromList(labelled().arrays().subList(0, 4), 0, 0));
    }

    @Test
    void theFirstNonFiniteArrayIsNamed() {
        assertNull(labelled().firstNonFinite());
        TrainingState s = TrainingState.of(name -> new float[] {name == CRITIC_PARAMS ? Float.NaN : 0}, 0, 0);
        assertEquals("critic parameters", s.firstNonFinite());
    }

    @Test
    void sameValuesComparesBitsAndCounters() {
        TrainingState zero = TrainingState.of(name -> new float[] {0f}, 1, 5);
        assertTrue(States.sameValues(zero, TrainingState.of(name -> new float[] {0f}, 1, 5)));
        assertFalse(States.sameValues(zero,
                TrainingState.of(name -> new float[] {name == GENERATOR_ADAM ? -0f : 0f}, 1, 5)));
        assertFalse(States.sameValues(zero, TrainingState.of(name -> new float[] {0f}, 1, 6)));
    }
}
