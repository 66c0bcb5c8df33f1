package wgangp.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The statistics mllib aggregates over partitions, against numpy and a direct computation in double. */
@Tag("integration")
class FeatureStatisticsTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("feature-statistics")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void matchNumpyOnTheFixture() {
        FidFixture fixture = FidFixture.load();
        for (String name : List.of("a", "b", "c", "c_shift")) {
            FeatureStatistics expected = fixture.statistics(name);
            double[][] x = fixture.features(name);
            FeatureStatistics actual = FeatureStatistics.of(sc.parallelize(Arrays.asList(x), 3), x[0].length);
            assertClose(expected, actual, 1e-9, name);
        }
    }

    @Test
    void matchADirectComputationAcrossManyPartitions() {
        // Far from zero on purpose: a covariance taken as E[xxᵀ] − μμᵀ would lose most of its digits here.
        int n = 4000;
        int d = 24;
        SplittableRandom random = new SplittableRandom(11);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            double common = random.nextGaussian();
            for (int j = 0; j < d; j++) {
                row[j] = 1000 + j + (j + 1) * 0.1 * random.nextGaussian() + 0.5 * common;
            }
        }
        FeatureStatistics actual = FeatureStatistics.of(sc.parallelize(Arrays.asList(x), 7), d);
        assertClose(direct(x), actual, 1e-9, "4000 x 24");
    }

    /** Two passes in double: the mean, then the centred products over n − 1. */
    private static FeatureStatistics direct(double[][] x) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        double[] cov = new double[d * d];
        for (double[] row : x) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    cov[i * d + j] += (row[i] - mean[i]) * (row[j] - mean[j]) / (n - 1);
                }
            }
        }
        return new FeatureStatistics(n, mean, cov);
    }

    private static void assertClose(FeatureStatistics expected, FeatureStatistics actual, double relative, String what) {
        assertEquals(expected.count(), actual.count(), what + " count");
        assertEquals(expected.dimension(), actual.dimension(), what + " dimension");
        double meanScale = Arrays.stream(expected.mean()).map(Math::abs).max().orElseThrow();
        for (int i = 0; i < expected.dimension(); i++) {
            assertEquals(expected.mean()[i], actual.mean()[i], relative * meanScale, what + " mean " + i);
        }
        double covScale = Arrays.stream(expected.covariance()).map(Math::abs).max().orElseThrow();
        for (int i = 0; i < expected.covariance().length; i++) {
            assertEquals(expected.covariance()[i], actual.covariance()[i], relative * covScale, what + " covariance " + i);
        }
    }
}
