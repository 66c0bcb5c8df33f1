package wgangp.train;

import java.io.Serializable;

/**
 * Losses summed over generator steps (and over replicas once aggregated); {@code count} says how
 * many steps went in. Per step: the last critic update's losses and the generator update's loss.
 */
public record LossSums(double criticLoss, double wassersteinEstimate, double gradientPenalty,
                       double generatorLoss, long count) implements Serializable {

    public static final LossSums ZERO = new LossSums(0, 0, 0, 0, 0);

    public LossSums plus(WganGpStep.StepLosses step) {
        return new LossSums(criticLoss + step.critic().criticLoss(),
                wassersteinEstimate + step.critic().wassersteinEstimate(),
                gradientPenalty + step.critic().gradientPenalty(), generatorLoss + step.generatorLoss(), count + 1);
    }

    public LossSums plus(LossSums o) {
        return new LossSums(criticLoss + o.criticLoss, wassersteinEstimate + o.wassersteinEstimate,
                gradientPenalty + o.gradientPenalty, generatorLoss + o.generatorLoss, count + o.count);
    }

    /** The sums divided by the count (NaN when nothing was counted). */
    public LossSums mean() {
        double n = count;
        return new LossSums(criticLoss / n, wassersteinEstimate / n, gradientPenalty / n, generatorLoss / n, 1);
    }

    /** Names the first loss that is NaN or infinite, or null when all are finite. */
    public String firstNonFinite() {
        if (!Double.isFinite(criticLoss)) {
            return "critic loss";
        }
        if (!Double.isFinite(wassersteinEstimate)) {
            return "Wasserstein estimate";
        }
        if (!Double.isFinite(gradientPenalty)) {
            return "gradient penalty";
        }
        if (!Double.isFinite(generatorLoss)) {
            return "generator loss";
        }
        return null;
    }
}
