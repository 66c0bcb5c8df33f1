package wgangp.distributed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import wgangp.train.TrainingState;

/**
 * Listeners that write only while the driver still holds what they write into (a run directory's
 * lock, say): a check, run first, before every callback of a round's writes, then each writer,
 * silenced once the hold is found lost, so that a driver that lost its run writes nothing more,
 * not even a flush on close.
 */
public final class GuardedListeners {
    /** Fails (with the reason) when the hold is lost; afterwards {@code lost} reads true. */
    @FunctionalInterface
    public interface Hold {
        void require() throws IOException;
    }

    private GuardedListeners() {
    }

    /** {@code writers}, each silenced once {@code lost} reads true, behind a listener that asks {@code hold}. */
    public static List<TrainingListener> of(Hold hold, BooleanSupplier lost, List<TrainingListener> writers) {
        List<TrainingListener> guarded = new ArrayList<>();
        guarded.add(check(hold));
        writers.forEach(w -> guarded.add(whileHeld(lost, w)));
        return List.copyOf(guarded);
    }

    /** A listener that asks {@code hold} before every callback. */
    public static TrainingListener check(Hold hold) {
        return new TrainingListener() {
            @Override
            public void onStart(TrainingState state, long totalSteps) throws IOException {
                hold.require();
            }

            @Override
            public void onRound(RoundReport report) throws IOException {
                hold.require();
            }

            @Override
            public void onEnd(TrainingState state) throws IOException {
                hold.require();
            }

            @Override
            public void onStop(TrainingState state) throws IOException {
                hold.require();
            }
        };
    }

    /** {@code listener}, silenced once {@code lost} reads true: it then neither writes nor flushes, its close included. */
    public static TrainingListener whileHeld(BooleanSupplier lost, TrainingListener listener) {
        return new TrainingListener() {
            @Override
            public void onStart(TrainingState state, long totalSteps) throws IOException {
                if (!lost.getAsBoolean()) {
                    listener.onStart(state, totalSteps);
                }
            }

            @Override
            public void onRound(RoundReport report) throws IOException {
                if (!lost.getAsBoolean()) {
                    listener.onRound(report);
                }
            }

            @Override
            public void onEnd(TrainingState state) throws IOException {
                if (!lost.getAsBoolean()) {
                    listener.onEnd(state);
                }
            }

            @Override
            public void onStop(TrainingState state) throws IOException {
                if (!lost.getAsBoolean()) {
                    listener.onStop(state);
                }
            }

            @Override
            public void close() throws IOException {
                if (!lost.getAsBoolean()) {
                    listener.close();
                }
            }
        };
    }
}
