package wgangp.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One evaluation, in the JSON other tools read ({@code eval/<checkpoint>.json} of a run, or the
 * file {@code --out} names). The checkpoint fields are null for a file of samples.
 *
 * @param checkpoint         the checkpoint's name, e.g. {@code step-0004000}
 * @param generatorSteps     its generator steps
 * @param criticIters        its critic iterations (per worker)
 * @param samples            generated images evaluated
 * @param heldOut            held-out real images compared with
 * @param fid                FID(samples, held-out) in the classifier's feature space
 * @param fidFloor           FID(as many training images as samples, held-out): what real digits score
 * @param classHistogram     samples per predicted digit
 * @param modesCovered       digits with at least {@link ClassMetrics#MODE_PERCENT} % of the samples
 * @param meanConfidence     mean largest softmax probability over the samples
 * @param classifierAccuracy the classifier's accuracy on the held-out images
 * @param seed               seed of the latent noise and of the floor's training subset
 */
public record EvaluationResult(String checkpoint, Long generatorSteps, Long criticIters, int samples, int heldOut,
                               double fid, double fidFloor, int[] classHistogram, int modesCovered,
                               double meanConfidence, double classifierAccuracy, long seed) {

    /** The fields under their JSON names, in the documented order. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("checkpoint", checkpoint);
        json.put("generator_steps", generatorSteps);
        json.put("critic_iters", criticIters);
        json.put("samples", samples);
        json.put("held_out", heldOut);
        json.put("fid", fid);
        json.put("fid_floor", fidFloor);
        json.put("class_histogram", classHistogram.clone());
        json.put("modes_covered", modesCovered);
        json.put("mean_confidence", meanConfidence);
        json.put("classifier_accuracy", classifierAccuracy);
        json.put("seed", seed);
        return json;
    }

    @Override
    public String toString() {
        return String.format("%s: FID %.3f (real-vs-real floor %.3f), modes %d/10, confidence %.3f, histogram %s",
                checkpoint == null ? "samples" : checkpoint, fid, fidFloor, modesCovered, meanConfidence,
                Arrays.toString(classHistogram));
    }
}
