package wgangp.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The histogram, modes, confidence and accuracy of known softmax outputs. */
class ClassMetricsTest {

    private static float[] oneHot(int k, float p) {
        float[] v = new float[10];
        for (int i = 0; i < 10; i++) {
            v[i] = (1 - p) / 9;
        }
        v[k] = p;
        return v;
    }

    @Test
    void histogramCountsTheArgmaxOfEachSample() {
        float[][] p = {oneHot(3, 0.9f), oneHot(3, 0.5f), oneHot(0, 0.99f), oneHot(9, 0.2f)};
        assertArrayEquals(new int[] {1, 0, 0, 2, 0, 0, 0, 0, 0, 1}, ClassMetrics.histogram(p, 10));
    }

    @Test
    void tiesGoToTheFirstClass() {
        float[] p = new float[10];
        p[4] = 0.5f;
        p[7] = 0.5f;
        assertEquals(4, ClassMetrics.argmax(p));
    }

    @Test
    void aModeNeedsAtLeastOnePercentOfTheSamples() {
        // 1000 samples: 10 is exactly 1 % and counts, 9 does not.
        int[] histogram = {500, 200, 100, 100, 50, 21, 10, 9, 5, 5};
        assertEquals(1000, java.util.Arrays.stream(histogram).sum());
        assertEquals(7, ClassMetrics.modesCovered(histogram));
        assertEquals(10, ClassMetrics.modesCovered(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
        assertEquals(1, ClassMetrics.modesCovered(new int[] {0, 0, 0, 0, 0, 0, 0, 1000, 0, 0}));
        assertEquals(0, ClassMetrics.modesCovered(new int[10]));
    }

    @Test
    void confidenceIsTheMeanLargestProbability() {
        float[][] p = {oneHot(1, 0.9f), oneHot(2, 0.6f), oneHot(5, 0.3f)};
        assertEquals((0.9 + 0.6 + 0.3) / 3, ClassMetrics.meanConfidence(p), 1e-6);
    }

    @Test
    void accuracyComparesTheArgmaxWithTheLabels() {
        float[][] p = {oneHot(1, 0.9f), oneHot(2, 0.6f), oneHot(5, 0.3f), oneHot(7, 0.8f)};
        assertEquals(0.5, ClassMetrics.accuracy(p, new int[] {1, 3, 5, 8}), 0);
        assertThrows(IllegalArgumentException.class, () -> ClassMetrics.accuracy(p, new int[] {1}));
    }
}
