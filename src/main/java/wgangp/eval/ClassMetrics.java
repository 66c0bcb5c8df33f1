package wgangp.eval;

/**
 * What the classifier says about a set of images: how many it assigns to each digit, how many
 * digits get a fair share, how sure it is, and (with labels) how often it is right.
 */
public final class ClassMetrics {
    /**
     * A digit counts as a covered mode when at least this percentage of the samples is classified
     * as it: 1 %, a tenth of the 10 % a perfect generator gives every digit, so a digit the generator
     * only produces by accident (a few misclassified blobs) does not count.
     */
    public static final int MODE_PERCENT = 1;

    private ClassMetrics() {
    }

    /** Index of the largest value; the first one on ties. */
    public static int argmax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Samples per predicted class (argmax of the probabilities). */
    public static int[] histogram(float[][] probabilities, int classes) {
        int[] counts = new int[classes];
        for (float[] p : probabilities) {
            counts[argmax(p)]++;
        }
        return counts;
    }

    /** Classes holding at least {@link #MODE_PERCENT} % of the samples (compared in integers, so exactly 1 % counts). */
    public static int modesCovered(int[] histogram) {
        long total = 0;
        for (int c : histogram) {
            total += c;
        }
        int covered = 0;
        for (int c : histogram) {
            if (total > 0 && 100L * c >= (long) MODE_PERCENT * total) {
                covered++;
            }
        }
        return covered;
    }

    /** The mean over samples of the largest class probability. */
    public static double meanConfidence(float[][] probabilities) {
        double sum = 0;
        for (float[] p : probabilities) {
            sum += p[argmax(p)];
        }
        return sum / probabilities.length;
    }

    /** The share of samples whose argmax equals their label. */
    public static double accuracy(float[][] probabilities, int[] labels) {
        if (labels.length != probabilities.length) {
            throw new IllegalArgumentException(probabilities.length + " predictions for " + labels.length + " labels");
        }
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (argmax(probabilities[i]) == labels[i]) {
                correct++;
            }
        }
        return correct / (double) labels.length;
    }
}
