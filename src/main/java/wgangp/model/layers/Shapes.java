package wgangp.model.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Per-sample shapes and batch slices, for arrays of any rank whose first axis is the batch. */
public final class Shapes {
    private Shapes() {
    }

    /** [batch, …sample]. */
    static long[] batch(long batch, long[] sample) {
        long[] shape = new long[sample.length + 1];
        shape[0] = batch;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return shape;
    }

    static long length(long[] sample) {
        long n = 1;
        for (long s : sample) {
            n *= s;
        }
        return n;
    }

    static long[] requireRank(long[] shape, int rank, String layer) {
        if (shape.length != rank) {
            throw new IllegalArgumentException(layer + " takes inputs of rank " + rank + " per sample, got "
                    + Arrays.toString(shape));
        }
        return shape.clone();
    }

    /** Samples [from, to) of a batch, as a view. */
    public static INDArray rows(INDArray batch, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[batch.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int i = 1; i < index.length; i++) {
            index[i] = NDArrayIndex.all();
        }
        return batch.get(index);
    }
}
