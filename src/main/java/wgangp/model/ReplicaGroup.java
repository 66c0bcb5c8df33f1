package wgangp.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The replicas that train on one global batch together, each on its own slice of it: what a
 * computation that spans the whole batch (a gradient, BatchNorm's batch statistics) adds up across
 * them. Every replica makes the same calls in the same order, and each call returns the same sums
 * on every replica, so replicas that start equal stay equal. {@link #SINGLE} is one replica alone,
 * whose sums are its own values: code written against a group computes exactly what it computed
 * before for one replica.
 */
public interface ReplicaGroup {

    /** One replica: every sum is the value itself, and nothing is communicated. */
    ReplicaGroup SINGLE = new ReplicaGroup() {
        @Override
        public int size() {
            return 1;
        }

        @Override
        public void sum(float[] values, int from, int length) {
        }

        @Override
        public void sum(double[] values, int from, int length) {
        }

        @Override
        public void sum(INDArray values) {
        }
    };

    /** How many replicas share the batch. */
    int size();

    /** Replaces {@code values[from, from + length)} by their element-wise sums over the replicas. */
    void sum(float[] values, int from, int length);

    /** Replaces {@code values[from, from + length)} by their element-wise sums over the replicas. */
    void sum(double[] values, int from, int length);

    /**
     * Replaces a whole float array's values by their element-wise sums over the replicas. This
     * default goes through a heap copy, which any backend's array allows; a group may sum a host
     * array's memory in place instead.
     */
    default void sum(INDArray values) {
        float[] v = values.toFloatVector();
        sum(v, 0, v.length);
        values.assign(Nd4j.createFromArray(v).reshape(values.shape()));
    }
}
