package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import wgangp.distributed.AllreduceTimes;
import wgangp.distributed.RoundReport;
import wgangp.train.GradientNoise;
import wgangp.train.LossSums;
import wgangp.train.TrainingState;

class PeriodicOutputTest {

    /** Records the steps it wrote; an output "exists" while its step is in {@link #present}. */
    static final class Recorder extends PeriodicOutput {
        final List<Long> written = new ArrayList<>();
        final Set<Long> present = new HashSet<>();

        Recorder(int interval) {
            super(interval);
        }

        @Override
        void write(TrainingState state) {
            written.add(state.generatorSteps());
            present.add(state.generatorSteps());
        }

        @Override
        boolean exists(TrainingState state) {
            return present.contains(state.generatorSteps());
        }
    }

    static RoundReport round(long step, int roundSteps) {
        return new RoundReport(step, 5 * step, 0, roundSteps, LossSums.ZERO, 0, 0, 0, MetricsLogTest.PHASES,
                MetricsLogTest.at(step), false, AllreduceTimes.NONE, GradientNoise.NONE);
    }

    /** Rounds of 4 steps from step 0 to 22 (the last round 2 steps), the interval 10. */
    static Recorder run(Recorder out) throws java.io.IOException {
        out.onStart(MetricsLogTest.at(0), 22);
        for (long step = 4; step <= 20; step += 4) {
            out.onRound(round(step, 4));
        }
        out.onRound(round(22, 2));
        return out;
    }

    @Test
    void writesAfterEachRoundThatCrossesAMultipleAndAtTheEnd() throws Exception {
        Recorder out = run(new Recorder(10));
        assertEquals(List.of(12L, 20L), out.written);
        out.onEnd(MetricsLogTest.at(22));
        assertEquals(List.of(12L, 20L, 22L), out.written);
    }

    @Test
    void theEndDoesNotRewriteTheLastRoundsOutput() throws Exception {
        Recorder out = new Recorder(10);
        out.onStart(MetricsLogTest.at(0), 20);
        out.onRound(round(10, 10));
        out.onRound(round(20, 10));
        out.onEnd(MetricsLogTest.at(20));
        assertEquals(List.of(10L, 20L), out.written);
    }

    @Test
    void aRunWithNothingLeftWritesItsEndOnlyWhenThatOutputIsMissing() throws Exception {
        Recorder resumed = new Recorder(10);
        resumed.present.add(40L);
        resumed.onStart(MetricsLogTest.at(40), 40);
        resumed.onEnd(MetricsLogTest.at(40));
        assertEquals(List.of(), resumed.written);

        Recorder lost = new Recorder(10);
        lost.onStart(MetricsLogTest.at(40), 40);
        lost.onEnd(MetricsLogTest.at(40));
        assertEquals(List.of(40L), lost.written);
    }
}
