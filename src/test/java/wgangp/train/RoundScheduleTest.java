package wgangp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoundScheduleTest {

    @Test
    void roundsAreAlignedToTheAveragingFrequencyAndCutByTheEnd() {
        assertEquals(10, RoundSchedule.roundLength(0, 35, 10));
        assertEquals(10, RoundSchedule.roundLength(20, 35, 10));
        assertEquals(5, RoundSchedule.roundLength(30, 35, 10));
        assertEquals(0, RoundSchedule.roundLength(35, 35, 10));
        // A run resumed off a boundary first completes the round it is in.
        assertEquals(3, RoundSchedule.roundLength(17, 35, 10));
        assertTrue(RoundSchedule.isBoundary(20, 35, 10));
        assertTrue(RoundSchedule.isBoundary(35, 35, 10));
        assertFalse(RoundSchedule.isBoundary(17, 35, 10));
    }

    @Test
    void trainingStopsAtEpochsOrCriticIterationsWhicheverComesFirst() {
        // 60000 images, batch 64, 5 critic updates, 2 workers: 640 images per generator step.
        assertEquals(94, RoundSchedule.totalGeneratorSteps(1, 0, 60000, 64, 5, 2));
        assertEquals(18750, RoundSchedule.totalGeneratorSteps(200, 0, 60000, 64, 5, 2));
        assertEquals(600, RoundSchedule.totalGeneratorSteps(200, 3000, 60000, 64, 5, 2));
        assertEquals(601, RoundSchedule.totalGeneratorSteps(200, 3001, 60000, 64, 5, 2));
        assertEquals(94, RoundSchedule.totalGeneratorSteps(1, 3000, 60000, 64, 5, 2));
        assertEquals(1.0, RoundSchedule.epoch(60000 / 128, 64, 2, 60000), 1e-2);
    }
}
