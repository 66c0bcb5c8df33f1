package wgangp.distributed;

import java.io.Serializable;
import wgangp.train.GradientNoise;
import wgangp.train.LossSums;
import wgangp.train.TrainingState;

/**
 * What one task of a synchronous segment returns: the state from rank 0 only (every rank ends with
 * the same one), the losses of its own slice of each batch, and where its time went.
 *
 * @param rank             the task's rank, its partition
 * @param state            the state after the segment, on rank 0; null elsewhere
 * @param losses           the losses on this task's slice, summed over the segment's steps
 * @param noise            the gradient noise scale's estimates (the same on every rank)
 * @param times            the task's phases; its compute includes the allreduce
 * @param allreduce        what the collective's sums cost this task
 */
record SegmentResult(int rank, TrainingState state, LossSums losses, GradientNoise noise, ReplicaTimes times,
                     AllreduceTimes allreduce) implements Serializable {
}
