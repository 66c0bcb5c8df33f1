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
}
