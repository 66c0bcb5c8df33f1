package wgangp.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Where each tensor of a network lives inside its one flat parameter vector. A flat vector is what
 * the optimizer updates in one op and what is broadcast, averaged and checkpointed; the tensors
 * are views into it. Tensor names are PyTorch's ({@code model.K.weight}), so reference weights and
 * gradients map one to one. Dense weights are stored [in, out] (PyTorch's transpose).
 */
public final class ParameterLayout implements Serializable {

    /** One tensor: its name, its shape in this layout, and where it starts in the flat vector. */
    public record Tensor(String name, long[] shape, long offset, boolean transposedFromTorch) implements Serializable {
        public long length() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }
    }

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private long length;

    /** Adds a tensor stored in PyTorch's layout, or as its transpose when {@code transposedFromTorch}. */
    public void addTensor(String name, long[] shape, boolean transposed) {
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("two tensors named " + name + " in one layout");
        }
        Tensor t = new Tensor(name, shape, length, transposed);
        tensors.put(name, t);
        length += t.length();
    }

    public long length() {
        return length;
    }

    public List<Tensor> tensors() {
        return Collections.unmodifiableList(new ArrayList<>(tensors.values()));
    }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named " + name + " in this layout; have " + tensors.keySet());
        }
        return t;
    }

    /** The named tensor as a view into {@code flat} (writes go through to the flat vector). */
    public INDArray view(INDArray flat, String name) {
        Tensor t = tensor(name);
        INDArray slice = flat.get(NDArrayIndex.interval(t.offset(), t.offset() + t.length()));
        return t.shape().length == 1 ? slice : slice.reshape('c', t.shape());
    }
}
