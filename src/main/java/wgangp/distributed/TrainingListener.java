package wgangp.distributed;

import java.io.IOException;
import wgangp.train.TrainingState;

/**
 * Driver-side hooks of the training loop: outputs (grids, checkpoints, metrics, progress) live
 * here, never in the loop or on workers. Called on the driver thread, in registration order.
 */
public interface TrainingListener extends AutoCloseable {

    /** Before the first round; {@code state} is the initial or resumed state. */
    default void onStart(TrainingState state, long totalSteps) throws IOException {
    }

    /** After every round whose result is finite. */
    default void onRound(RoundReport report) throws IOException {
    }

    /** After the last round (also when there was nothing left to train). */
    default void onEnd(TrainingState state) throws IOException {
    }

    /**
     * Instead of {@link #onEnd} when a stop was asked for before the last round: {@code state} is
     * the last completed round's, the one a resumed run continues from.
     */
    default void onStop(TrainingState state) throws IOException {
    }

    /** Always, last: release what the listener holds, flush what it buffered. */
    @Override
    default void close() throws IOException {
    }
}
