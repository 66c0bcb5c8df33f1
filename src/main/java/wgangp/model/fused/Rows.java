package wgangp.model.fused;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Row ranges of a matrix as views: the stacked buffers hold several batches one under another. */
final class Rows {
    private Rows() {
    }

    /** Rows [from, to) of {@code a}, a view: writes go through. */
    static INDArray range(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }
}
