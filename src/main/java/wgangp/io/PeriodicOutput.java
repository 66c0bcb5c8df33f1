package wgangp.io;

import java.io.IOException;
import wgangp.distributed.RoundReport;
import wgangp.distributed.TrainingListener;
import wgangp.train.TrainingState;

/**
 * An output of the training state written every {@code interval} generator steps (after the first
 * round that reaches a multiple of it) and at the end. The end's output is skipped only when the
 * last round already wrote it and it is still there, so a run resumed at its final step, or one
 * whose final output was lost, still ends with one.
 */
abstract class PeriodicOutput implements TrainingListener {
    private final int interval;
    private long lastWritten = -1;

    PeriodicOutput(int interval) {
        this.interval = interval;
    }

    /** Writes the output of {@code state}. */
    abstract void write(TrainingState state) throws IOException;

    /** Whether the output of {@code state} exists and is whole. */
    abstract boolean exists(TrainingState state) throws IOException;

    @Override
    public void onStart(TrainingState state, long totalSteps) throws IOException {
        lastWritten = state.generatorSteps();
    }

    @Override
    public void onRound(RoundReport r) throws IOException {
        if (r.crossedMultipleOf(interval)) {
            writeAndRemember(r.state());
        }
    }

    @Override
    public void onEnd(TrainingState state) throws IOException {
        if (state.generatorSteps() != lastWritten || !exists(state)) {
            writeAndRemember(state);
        }
    }

    /** Writes the output of {@code state} unless this run already wrote it at that step. */
    void writeIfNew(TrainingState state) throws IOException {
        if (state.generatorSteps() != lastWritten) {
            writeAndRemember(state);
        }
    }

    private void writeAndRemember(TrainingState state) throws IOException {
        write(state);
        lastWritten = state.generatorSteps();
    }
}
