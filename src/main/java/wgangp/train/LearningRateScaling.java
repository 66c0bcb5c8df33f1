package wgangp.train;

import java.util.Locale;

/**
 * How the Adam learning rate grows with the number of workers. N replicas averaged after each
 * round move about as far per round as one replica does, with less noise; a larger step turns the
 * lower noise into progress, up to the rate at which training itself turns unstable, hence a cap
 * on the multiplier. One worker always trains with the configured rate itself.
 */
public enum LearningRateScaling {
    /** The configured rate whatever the workers. */
    NONE,
    /** The configured rate times √workers. */
    SQRT,
    /** The configured rate times workers. */
    LINEAR;

    /**
     * The rate {@code workers} replicas train with: {@code lr} times this rule's multiplier, the
     * multiplier at most {@code maxMultiplier} (0: no limit); exactly {@code lr} for one worker.
     */
    public double scale(double lr, int workers, double maxMultiplier) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        if (workers == 1) {
            return lr;
        }
        double multiplier = switch (this) {
            case NONE -> 1;
            case SQRT -> Math.sqrt(workers);
            case LINEAR -> workers;
        };
        return maxMultiplier > 0 && multiplier > maxMultiplier ? lr * maxMultiplier : lr * multiplier;
    }

    public static LearningRateScaling parse(String s) {
        for (LearningRateScaling v : values()) {
            if (v.name().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("must be none, sqrt or linear");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
