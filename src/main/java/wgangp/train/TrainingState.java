package wgangp.train;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Everything that determines how training continues, as flat float arrays: the unit that is
 * broadcast to workers, averaged, and checkpointed. Adam states are [m | v].
 */
public record TrainingState(float[] generatorParams, float[] generatorBatchNormStats, float[] generatorAdam,
                            float[] criticParams, float[] criticAdam, long generatorSteps, long criticSteps)
        implements Serializable {

    /** Element-wise sum with another state of the same shape (counters are summed too). */
    public TrainingState plus(TrainingState o) {
        return new TrainingState(add(generatorParams, o.generatorParams), add(generatorBatchNormStats, o.generatorBatchNormStats),
                add(generatorAdam, o.generatorAdam), add(criticParams, o.criticParams), add(criticAdam, o.criticAdam),
                generatorSteps + o.generatorSteps, criticSteps + o.criticSteps);
    }

    /** This state divided by {@code count}: the average of {@code count} summed states. */
    public TrainingState dividedBy(int count) {
        return new TrainingState(scale(generatorParams, count), scale(generatorBatchNormStats, count),
                scale(generatorAdam, count), scale(criticParams, count), scale(criticAdam, count),
                generatorSteps / count, criticSteps / count);
    }

    public long size() {
        return (long) generatorParams.length + generatorBatchNormStats.length + generatorAdam.length
                + criticParams.length + criticAdam.length;
    }

    /** Names the first array holding a NaN or infinite value, or null when all are finite. */
    public String firstNonFinite() {
        String[] names = {"generator parameters", "generator batch-norm statistics", "generator Adam state",
            "critic parameters", "critic Adam state"};
        float[][] arrays = {generatorParams, generatorBatchNormStats, generatorAdam, criticParams, criticAdam};
        for (int i = 0; i < arrays.length; i++) {
            for (float v : arrays[i]) {
                if (!Float.isFinite(v)) {
                    return names[i];
                }
            }
        }
        return null;
    }

    public boolean sameValues(TrainingState o) {
        return Arrays.equals(generatorParams, o.generatorParams) && Arrays.equals(generatorBatchNormStats, o.generatorBatchNormStats)
                && Arrays.equals(generatorAdam, o.generatorAdam) && Arrays.equals(criticParams, o.criticParams)
                && Arrays.equals(criticAdam, o.criticAdam) && generatorSteps == o.generatorSteps
                && criticSteps == o.criticSteps;
    }

    private static float[] add(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("cannot add training states of different shapes");
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static float[] scale(float[] a, int count) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] / count;
        }
        return out;
    }
}
