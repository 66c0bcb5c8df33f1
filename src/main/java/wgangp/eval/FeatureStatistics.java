package wgangp.eval;

import java.io.Serializable;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.Matrix;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.linalg.distributed.RowMatrix;
import org.apache.spark.mllib.stat.MultivariateStatisticalSummary;
import org.apache.spark.storage.StorageLevel;

/**
 * The Gaussian summary of a set of feature vectors that the Fréchet distance compares: the count,
 * the mean and the sample covariance (denominator count − 1, as numpy's {@code cov}).
 *
 * @param count      number of feature vectors
 * @param mean       the mean vector, length d
 * @param covariance the d × d covariance, row-major
 */
public record FeatureStatistics(long count, double[] mean, double[] covariance) implements Serializable {

    public FeatureStatistics {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(covariance, "covariance");
        if (count < 2) {
            throw new IllegalArgumentException("feature statistics need at least 2 vectors, got " + count);
        }
        if (mean.length == 0 || covariance.length != mean.length * mean.length) {
            throw new IllegalArgumentException("a covariance of " + covariance.length + " values does not match a mean of "
                    + mean.length);
        }
    }

    public int dimension() {
        return mean.length;
    }

    public double covariance(int row, int col) {
        return covariance[row * mean.length + col];
    }

    /**
     * The statistics of {@code features} (each row of length {@code dimension}), computed on the
     * executors by mllib's {@link RowMatrix}: the column summary and the centred covariance are
     * each one {@code treeAggregate}, so only d-vectors and d × d matrices reach the driver. The
     * rows are cached for the passes and released afterwards.
     */
    public static FeatureStatistics of(JavaRDD<double[]> features, int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("feature dimension must be >= 1, got " + dimension);
        }
        JavaRDD<Vector> rows = features.map(row -> {
            if (row.length != dimension) {
                throw new IllegalArgumentException("a feature vector has " + row.length + " values, expected "
                        + dimension);
            }
            return Vectors.dense(row);
        }).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            RowMatrix matrix = new RowMatrix(rows.rdd(), 0L, dimension);
            MultivariateStatisticalSummary summary = matrix.computeColumnSummaryStatistics();
            long count = summary.count();
            if (count < 2) {
                throw new IllegalArgumentException("feature statistics need at least 2 vectors, got " + count);
            }
            Matrix cov = matrix.computeCovariance();
            double[] covariance = new double[dimension * dimension];
            for (int i = 0; i < dimension; i++) {
                for (int j = 0; j < dimension; j++) {
                    covariance[i * dimension + j] = cov.apply(i, j);
                }
            }
            return new FeatureStatistics(count, summary.mean().toArray(), covariance);
        } finally {
            rows.unpersist(false);
        }
    }
}
