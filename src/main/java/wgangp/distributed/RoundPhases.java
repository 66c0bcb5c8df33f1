package wgangp.distributed;

/**
 * Where a round's wall time went, in seconds, along its critical path: the replica that finished
 * last. The phases add up to the round's wall time; what no clock sees directly is the remainder.
 *
 * @param broadcast  serialising the start state on the driver, then fetching and deserialising it
 *                   on the executor
 * @param taskLaunch from the driver submitting the round's job to the task starting; when the task
 *                   ran on another host, whose clock the driver cannot compare with its own, this
 *                   is the remainder and includes the result's transfer
 * @param setup      checking the task's BLAS kernel, binding its GPU and building the replica
 * @param compute    the replica's generator steps
 * @param result     extracting, serialising and shipping the replica's state to the driver: the remainder
 * @param aggregate  adding the replicas' states, along the longest path of the treeAggregate
 * @param average    dividing the sum into the mean on the driver
 * @param outer      the outer optimizer's step on the driver ({@link wgangp.train.OuterOptimizer})
 */
public record RoundPhases(double broadcast, double taskLaunch, double setup, double compute, double result,
                          double aggregate, double average, double outer) {

    /** The sum of the phases. */
    public double total() {
        return broadcast + taskLaunch + setup + compute + result + aggregate + average + outer;
    }

    /**
     * Phases from the driver's and the last replica's measurements, all in nanoseconds except the
     * wall clocks. The measured phases are scaled down in proportion should they exceed the round
     * (they cannot on one clock; the guard keeps the sum within the round whatever the clocks do).
     *
     * @param roundNanos          the round's wall time on the driver
     * @param serialiseNanos      the driver's broadcast of the start state
     * @param submitMillis        wall clock when the driver submitted the job
     * @param driverHost          the driver's host name
     * @param last                the replica that finished last
     * @param sameHostClock       whether {@code last}'s wall clock can be compared with the driver's
     */
    static RoundPhases of(long roundNanos, long serialiseNanos, long submitMillis, ReplicaTimes last,
                          boolean sameHostClock, long combineNanos, long averageNanos, long outerNanos) {
        double round = roundNanos / 1e9;
        double broadcast = (serialiseNanos + last.broadcastNanos()) / 1e9;
        double setup = last.setupNanos() / 1e9;
        double compute = last.computeNanos() / 1e9;
        double aggregate = combineNanos / 1e9;
        double average = averageNanos / 1e9;
        double outer = outerNanos / 1e9;
        double measured = broadcast + setup + compute + aggregate + average + outer;
        if (measured > round) {
            double f = round / measured;
            return new RoundPhases(broadcast * f, 0, setup * f, compute * f, 0, aggregate * f, average * f, outer * f);
        }
        double rest = round - measured;
        double launch = sameHostClock ? Math.min(rest, Math.max(0, (last.startMillis() - submitMillis) / 1e3)) : rest;
        return new RoundPhases(broadcast, launch, setup, compute, rest - launch, aggregate, average, outer);
    }
}
