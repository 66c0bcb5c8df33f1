package wgangp.train;

/**
 * Where rounds begin and end. Rounds are aligned to multiples of the averaging frequency k (in
 * generator steps): round r covers steps [r·k, (r+1)·k), cut short only by the end of training. A
 * run resumed from a checkpoint at a round boundary therefore averages at exactly the steps an
 * uninterrupted run averages at, which is what makes resuming reproduce it.
 */
public final class RoundSchedule {
    private RoundSchedule() {
    }

    /** Generator steps of the round starting after {@code done} steps, at most {@code total − done}. */
    public static int roundLength(long done, long total, int averagingFrequency) {
        if (averagingFrequency < 1) {
            throw new IllegalArgumentException("averagingFrequency must be >= 1, got " + averagingFrequency);
        }
        if (done >= total) {
            return 0;
        }
        long toBoundary = averagingFrequency - Math.floorMod(done, (long) averagingFrequency);
        return (int) Math.min(toBoundary, total - done);
    }

    /** True when {@code done} is a round boundary of a run of {@code total} steps. */
    public static boolean isBoundary(long done, long total, int averagingFrequency) {
        return done == total || done % averagingFrequency == 0;
    }

    /**
     * Generator steps for a run: enough to reach {@code epochs} passes over {@code datasetSize}
     * images (an epoch is critic iterations × batch × workers images) or {@code maxCriticIters}
     * critic iterations per replica, whichever comes first; 0 means no critic-iteration limit.
     */
    public static long totalGeneratorSteps(double epochs, long maxCriticIters, long datasetSize, int batch,
                                           int nCritic, int workers) {
        double imagesPerStep = (double) nCritic * batch * workers;
        long byEpochs = (long) Math.ceil(epochs * datasetSize / imagesPerStep - 1e-9);
        if (maxCriticIters <= 0) {
            return byEpochs;
        }
        long byIters = (maxCriticIters + nCritic - 1) / nCritic;
        return Math.min(byEpochs, byIters);
    }

    /** Epochs completed after {@code criticIters} critic iterations per replica. */
    public static double epoch(long criticIters, int batch, int workers, long datasetSize) {
        return (double) criticIters * batch * workers / datasetSize;
    }
}
