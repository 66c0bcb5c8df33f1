package wgangp.model.kernels;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The convolutions of {@link HostKernels}, for one layer: oneDNN's convolution primitives on the
 * arrays' host memory. Both kinds of layer are one convolution, from the larger map to the smaller
 * one, run three ways: forward (a convolution), backward data (a transposed convolution, and the
 * convolution's input gradient) and backward weights (the kernel gradient of both kinds).
 *
 * <p>oneDNN's fast kernels read and write channels in blocks of a vector's width (nChw16c with
 * AVX-512, nChw8c with AVX2). Each primitive is asked for the layouts it runs best on, and the
 * arrays are reordered into and out of them around it: at the dcgan critic's conv2 the reorders
 * take about a tenth of the call, and the call a third of im2col and sgemm's. A map narrower than
 * one block (the image: one channel) is the exception: its backward primitives stay on the arrays'
 * own layouts, where oneDNN runs them as gemm, since its blocked kernels for such a map measured
 * 3–8× slower than that (the backward data one with AVX-512, the backward weights one with AVX2).
 *
 * <p>Primitives are built once per batch size and kept; an instance serves one thread at a time.
 */
final class OneDnnConvolutions {
    /** Narrower than this many channels, a map is not worth blocking (AVX2's block; AVX-512's is 16). */
    private static final long NARROW = 8;

    private final Convolution geometry;
    private final engine engine;
    private final stream stream;
    private final Map<Long, Primitives> byBatch = new HashMap<>();

    OneDnnConvolutions(Convolution geometry, engine engine, stream stream) {
        this.geometry = geometry;
        this.engine = engine;
        this.stream = stream;
    }

    /** x [B, in, H, W] (the larger map) convolved with weights [out, in, k, k] into out [B, out, h, w]. */
    INDArray convolve(INDArray x, INDArray weights, INDArray bias, INDArray out) {
        Primitives p = primitives(x, out);
        INDArray xd = HostMemory.dense(x);
        INDArray wd = HostMemory.dense(weights);
        if (bias == null) {
            p.forward().run(out, xd, wd);
        } else {
            INDArray bd = HostMemory.dense(bias);
            p.forwardWithBias().run(out, xd, wd, bd);
            Reference.reachabilityFence(bd);
        }
        Reference.reachabilityFence(xd);
        Reference.reachabilityFence(wd);
        return out;
    }

    /** x [B, in, h, w] (the smaller map) transposed-convolved with weights [in, out, k, k] into out [B, out, H, W]. */
    INDArray transposedConvolve(INDArray x, INDArray weights, INDArray bias, INDArray out) {
        Primitives p = primitives(out, x);
        INDArray xd = HostMemory.dense(x);
        INDArray wd = HostMemory.dense(weights);
        p.backwardData().run(out, xd, wd);
        if (bias != null) {
            out.addi(bias.reshape(1, bias.length(), 1, 1));
        }
        Reference.reachabilityFence(xd);
        Reference.reachabilityFence(wd);
        return out;
    }

    /** Adds the kernel gradient [C_small, C_large, k, k] of small (∂L/∂ the smaller map) against large to target. */
    void addKernelGradient(INDArray small, INDArray large, INDArray target) {
        Primitives p = primitives(large, small);
        INDArray sd = HostMemory.dense(small);
        INDArray ld = HostMemory.dense(large);
        INDArray gradient = p.kernelGradient;
        p.backwardWeights().run(gradient, sd, ld);
        target.addi(gradient);
        Reference.reachabilityFence(sd);
        Reference.reachabilityFence(ld);
    }

    private Primitives primitives(INDArray large, INDArray small) {
        long batch = large.size(0);
        Primitives p = byBatch.get(batch);
        if (p == null) {
            p = new Primitives(large.shape(), small.shape());
            byBatch.put(batch, p);
        }
        return p;
    }

    private static memory.desc plain(long[] dims) {
        return new memory.desc(dims, memory.data_type.f32, dims.length == 4 ? memory.format_tag.abcd
                : memory.format_tag.a);
    }

    private static memory.desc chosen(long[] dims, boolean blocked) {
        return blocked ? new memory.desc(dims, memory.data_type.f32, memory.format_tag.any) : plain(dims);
    }

    /** The three primitives of one batch size, each built on first use. */
    private final class Primitives {
        private final long[] large;
        private final long[] small;
        private final long[] weights;
        private final boolean narrow;
        private final INDArray kernelGradient;
        private convolution_forward.primitive_desc forwardHint;
        private Call forward;
        private Call forwardWithBias;
        private Call backwardData;
        private Call backwardWeights;

        Primitives(long[] large, long[] small) {
            this.large = large.clone();
            this.small = small.clone();
            long k = geometry.kernel();
            this.weights = new long[] {small[1], large[1], k, k};
            this.narrow = large[1] < NARROW;
            // kept across calls: outside any workspace the caller has open, whose memory is reused after it closes
            try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                this.kernelGradient = Nd4j.create(DataType.FLOAT, weights);
            }
        }

        private long[] strides() {
            return new long[] {geometry.stride(), geometry.stride()};
        }

        private long[] padding() {
            return new long[] {geometry.padding(), geometry.padding()};
        }

        private convolution_forward.primitive_desc forwardDescription(boolean bias) {
            memory.desc src = chosen(large, true);
            memory.desc w = chosen(weights, true);
            memory.desc dst = chosen(small, true);
            convolution_forward.desc d = bias
                    ? new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
                            src, w, plain(new long[] {small[1]}), dst, strides(), padding(), padding())
                    : new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
                            src, w, dst, strides(), padding(), padding());
            return new convolution_forward.primitive_desc(d, engine);
        }

        /** The forward description the backward primitives are built against (oneDNN asks for one). */
        private convolution_forward.primitive_desc hint() {
            if (forwardHint == null) {
                forwardHint = forwardDescription(false);
            }
            return forwardHint;
        }

        Call forward() {
            if (forward == null) {
                convolution_forward.primitive_desc pd = hint();
                forward = new Call(new convolution_forward(pd), dnnl.DNNL_ARG_DST, plain(small), pd.dst_desc())
                        .input(dnnl.DNNL_ARG_SRC, plain(large), pd.src_desc())
                        .input(dnnl.DNNL_ARG_WEIGHTS, plain(weights), pd.weights_desc());
            }
            return forward;
        }

        Call forwardWithBias() {
            if (forwardWithBias == null) {
                convolution_forward.primitive_desc pd = forwardDescription(true);
                forwardWithBias = new Call(new convolution_forward(pd), dnnl.DNNL_ARG_DST, plain(small), pd.dst_desc())
                        .input(dnnl.DNNL_ARG_SRC, plain(large), pd.src_desc())
                        .input(dnnl.DNNL_ARG_WEIGHTS, plain(weights), pd.weights_desc())
                        .input(dnnl.DNNL_ARG_BIAS, plain(new long[] {small[1]}), pd.bias_desc());
            }
            return forwardWithBias;
        }

        Call backwardData() {
            if (backwardData == null) {
                boolean blocked = !narrow;
                convolution_backward_data.primitive_desc pd = new convolution_backward_data.primitive_desc(
                        new convolution_backward_data.desc(dnnl.algorithm.convolution_direct, chosen(large, blocked),
                                chosen(weights, blocked), chosen(small, blocked), strides(), padding(), padding()),
                        engine, hint());
                backwardData = new Call(new convolution_backward_data(pd), dnnl.DNNL_ARG_DIFF_SRC, plain(large),
                        pd.diff_src_desc())
                        .input(dnnl.DNNL_ARG_DIFF_DST, plain(small), pd.diff_dst_desc())
                        .input(dnnl.DNNL_ARG_WEIGHTS, plain(weights), pd.weights_desc());
            }
            return backwardData;
        }

        Call backwardWeights() {
            if (backwardWeights == null) {
                boolean blocked = !narrow;
                convolution_backward_weights.primitive_desc pd = new convolution_backward_weights.primitive_desc(
                        new convolution_backward_weights.desc(dnnl.algorithm.convolution_direct,
                                chosen(large, blocked), chosen(weights, blocked), chosen(small, blocked), strides(),
                                padding(), padding()),
                        engine, hint());
                backwardWeights = new Call(new convolution_backward_weights(pd), dnnl.DNNL_ARG_DIFF_WEIGHTS,
                        plain(weights), pd.diff_weights_desc())
                        .input(dnnl.DNNL_ARG_DIFF_DST, plain(small), pd.diff_dst_desc())
                        .input(dnnl.DNNL_ARG_SRC, plain(large), pd.src_desc());
            }
            return backwardWeights;
        }
    }

    /**
     * One primitive with its arguments bound to arrays in their own (row-major) layouts: an argument
     * whose layout the primitive chose differently goes through a buffer and a reorder.
     */
    private final class Call {
        private final primitive primitive;
        private final IntMemoryMap arguments = new IntMemoryMap();
        private final List<Argument> inputs = new ArrayList<>();
        private final Argument output;

        Call(primitive primitive, int outputArgument, memory.desc plain, memory.desc chosen) {
            this.primitive = primitive;
            this.output = new Argument(plain, chosen, false);
            arguments.put(outputArgument, output.inner);
        }

        Call input(int argument, memory.desc plain, memory.desc chosen) {
            Argument a = new Argument(plain, chosen, true);
            inputs.add(a);
            arguments.put(argument, a.inner);
            return this;
        }

        /** Runs the primitive from {@code in} (in the order the inputs were bound) into {@code out}. */
        void run(INDArray out, INDArray... in) {
            for (int i = 0; i < in.length; i++) {
                inputs.get(i).bind(in[i]);
            }
            output.bind(out);
            primitive.execute(stream, arguments);
            if (output.reorder != null) {
                output.reorder.execute(stream, output.reorderArguments);
            }
            stream._wait();
        }
    }

    /** An array's memory, and when the primitive wants another layout, a buffer in it and the reorder between the two. */
    private final class Argument {
        private final memory user;
        private final memory inner;
        private final boolean input;
        private final reorder reorder;
        private final IntMemoryMap reorderArguments = new IntMemoryMap();

        Argument(memory.desc plain, memory.desc chosen, boolean input) {
            this.user = new memory(plain, engine, null);
            this.input = input;
            if (chosen.equals(plain)) {
                this.inner = user;
                this.reorder = null;
            } else {
                this.inner = new memory(chosen, engine);
                memory from = input ? user : inner;
                memory to = input ? inner : user;
                this.reorder = new reorder(from, to);
                reorderArguments.put(dnnl.DNNL_ARG_FROM, from);
                reorderArguments.put(dnnl.DNNL_ARG_TO, to);
            }
        }

        /** Points the argument at {@code a}'s memory; an input is copied into the primitive's layout. */
        void bind(INDArray a) {
            user.set_data_handle(HostMemory.pointer(a));
            if (input && reorder != null) {
                reorder.execute(stream, reorderArguments);
            }
        }
    }
}
