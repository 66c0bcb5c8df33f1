package wgangp.train;

import java.util.Arrays;

/** Comparisons of training states that the tests make. */
public final class States {
    private States() {
    }

    /** Whether both states hold the same counters and bit-identical arrays (-0 and 0 differ, NaN equals NaN). */
    public static boolean sameValues(TrainingState a, TrainingState b) {
        if (a.generatorSteps() != b.generatorSteps() || a.criticSteps() != b.criticSteps()) {
            return false;
        }
        for (TrainingState.Array name : TrainingState.Array.values()) {
            if (!Arrays.equals(a.get(name), b.get(name))) {
                return false;
            }
        }
        return true;
    }
}
