package wgangp.distributed;

import java.io.Serializable;
import java.util.Arrays;
import wgangp.train.TrainingState;

/**
 * A sum of replicas' training states, accumulated in double precision so that the mean is the
 * correctly rounded float mean for any number of replicas: averaging n identical replicas gives
 * them back bit for bit (n·a and n·a/n are exact in double), which a float running sum does not
 * guarantee beyond two. A single replica stays in its float form, so a partition ships no more
 * than its own state.
 */
final class StateSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TrainingState single;
    private final double[][] sums;
    private final long generatorSteps;
    private final long criticSteps;
    private final int count;

    private StateSum(TrainingState single, double[][] sums, long generatorSteps, long criticSteps, int count) {
        this.single = single;
        this.sums = sums;
        this.generatorSteps = generatorSteps;
        this.criticSteps = criticSteps;
        this.count = count;
    }

    static StateSum of(TrainingState state) {
        return new StateSum(state, null, state.generatorSteps(), state.criticSteps(), 1);
    }

    int count() {
        return count;
    }

    /** A new sum; neither operand changes. */
    StateSum plus(StateSum o) {
        double[][] out = copyAsDoubles();
        double[][] b = o.sums;
        float[][] bf = b == null ? arrays(o.single) : null;
        if (out.length != (b != null ? b.length : bf.length)) {
            throw new IllegalArgumentException("cannot add training states of different shapes");
        }
        for (int k = 0; k < out.length; k++) {
            int n = b != null ? b[k].length : bf[k].length;
            if (n != out[k].length) {
                throw new IllegalArgumentException("cannot add training states of different shapes");
            }
            if (b != null) {
                for (int i = 0; i < n; i++) {
                    out[k][i] += b[k][i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[k][i] += bf[k][i];
                }
            }
        }
        return new StateSum(null, out, generatorSteps + o.generatorSteps, criticSteps + o.criticSteps,
                count + o.count);
    }

    /** The element-wise mean, rounded once to float; counters are averaged too. */
    TrainingState mean() {
        if (single != null) {
            return single;
        }
        float[][] m = new float[sums.length][];
        for (int k = 0; k < sums.length; k++) {
            m[k] = new float[sums[k].length];
            for (int i = 0; i < m[k].length; i++) {
                m[k][i] = (float) (sums[k][i] / count);
            }
        }
        return TrainingState.fromList(Arrays.asList(m), generatorSteps / count, criticSteps / count);
    }

    private double[][] copyAsDoubles() {
        if (sums != null) {
            double[][] d = new double[sums.length][];
            for (int k = 0; k < sums.length; k++) {
                d[k] = sums[k].clone();
            }
            return d;
        }
        float[][] f = arrays(single);
        double[][] d = new double[f.length][];
        for (int k = 0; k < f.length; k++) {
            d[k] = new double[f[k].length];
            for (int i = 0; i < f[k].length; i++) {
                d[k][i] = f[k][i];
            }
        }
        return d;
    }

    /** The state's arrays in declaration order, the order of {@link #sums}. */
    private static float[][] arrays(TrainingState s) {
        return s.arrays().toArray(new float[0][]);
    }
}
