package wgangp.model.kernels;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The convolutions of {@link HostKernels}, for ND4J's CPU backend: im2col and col2im as loops over heap arrays
 * and each contraction as one sgemm straight into OpenBLAS, a chunk of samples at a time. Patches
 * are laid out [in·k·k, samples·positions], so one gemm covers every sample of a chunk and the weight
 * gradient contracts over samples and positions at once; a chunk holds about a megabyte of patches,
 * which stay in the core's cache between the loop that writes them and the gemm that reads them.
 *
 * <p>Measured at the dcgan critic's conv2 (192 samples, 32 → 64 channels, 14×14 → 7×7), libnd4j's
 * {@code im2col} alone took longer than the whole gemm (17 ms against 9), and so did whole-batch
 * patches written by a branchy Java loop (19 MB). Chunked, gathered through tables of offsets into
 * a zero-padded copy of each plane, im2col and col2im take about 25 % of a dcgan training step's
 * time at D=32 against about 40 % in sgemm (JFR, native frames included).
 *
 * <p>Arrays are read and written in place (a batch slice included) when their memory is dense
 * row-major floats. Scratch memory and index tables are kept between calls, the scratch growing to
 * the largest chunk: {@link HostKernels} keeps one instance per convolution geometry and pair of map
 * sizes (in effect one per layer), used by one thread at a time.
 */
final class HostConvolutions {
    private static final int CHUNK_FLOATS = 1 << 18;

    private final int k;
    private final int stride;
    private final int pad;
    private float[] samples = new float[0];
    private float[] staged = new float[0];
    private float[] patches = new float[0];
    private float[] products = new float[0];
    private INDArray operand;
    private INDArray result;
    private int[] index;
    private final int[] indexGrid = new int[2];
    private float[] padded;
    private PixelSources sources;
    private int[] sourcesKey;

    HostConvolutions(Convolution geometry) {
        this.k = geometry.kernel();
        this.stride = geometry.stride();
        this.pad = geometry.padding();
    }

    INDArray convolve(INDArray x, INDArray weights, INDArray bias, INDArray out) {
        Maps input = Maps.of(x);
        Maps output = Maps.of(out);
        int batch = input.batch();
        int channels = output.channels();
        int positions = output.positions();
        int rows = input.channels() * k * k;
        int chunk = samplesPerChunk((long) Math.max(rows, channels) * positions);
        float[] b = bias == null ? null : bias.toFloatVector();
        INDArray xd = HostMemory.dense(x);
        INDArray wd = HostMemory.dense(weights);
        FloatBuffer xs = HostMemory.floats(xd);
        FloatBuffer outs = HostMemory.floats(out);
        FloatPointer wp = HostMemory.pointer(wd);
        FloatPointer cols = operand(rows * chunk * positions);
        FloatPointer prod = result(channels * chunk * positions);
        for (int b0 = 0; b0 < batch; b0 += chunk) {
            int s = Math.min(chunk, batch - b0);
            int n = s * positions;
            toPatches(xs, b0, s, input, output, cols);
            Blas.gemm(false, false, channels, n, rows, wp, rows, cols, n, 0f, prod, n);
            products = grow(products, channels * n);
            prod.asBuffer().get(0, products, 0, channels * n);
            staged = grow(staged, channels * n);
            // [channels, samples, positions] → [samples, channels, positions], plus the bias
            for (int bb = 0; bb < s; bb++) {
                for (int c = 0; c < channels; c++) {
                    int src = (c * s + bb) * positions;
                    int dst = (bb * channels + c) * positions;
                    float add = b == null ? 0f : b[c];
                    for (int p = 0; p < positions; p++) {
                        staged[dst + p] = products[src + p] + add;
                    }
                }
            }
            outs.put(b0 * channels * positions, staged, 0, channels * n);
        }
        // the buffers and pointers above do not keep their arrays' native memory alive
        Reference.reachabilityFence(xd);
        Reference.reachabilityFence(wd);
        return out;
    }

    INDArray transposedConvolve(INDArray x, INDArray weights, INDArray bias, INDArray out) {
        Maps input = Maps.of(x);
        Maps output = Maps.of(out);
        int batch = input.batch();
        int in = input.channels();
        int channels = output.channels();
        int positions = input.positions();
        int rows = channels * k * k;
        int outSize = output.sampleSize();
        int chunk = samplesPerChunk((long) Math.max(rows, in) * positions);
        float[] b = bias == null ? null : bias.toFloatVector();
        INDArray xd = HostMemory.dense(x);
        INDArray wd = HostMemory.dense(weights);
        FloatBuffer xs = HostMemory.floats(xd);
        FloatBuffer outs = HostMemory.floats(out);
        FloatPointer wp = HostMemory.pointer(wd);
        FloatPointer channelMajor = operand(in * chunk * positions);
        FloatPointer cols = result(rows * chunk * positions);
        for (int b0 = 0; b0 < batch; b0 += chunk) {
            int s = Math.min(chunk, batch - b0);
            int n = s * positions;
            toChannelMajor(xs, b0, s, input, channelMajor);
            Blas.gemm(true, false, rows, n, in, wp, rows, channelMajor, n, 0f, cols, n);
            patches = grow(patches, rows * n);
            cols.asBuffer().get(0, patches, 0, rows * n);
            products = grow(products, s * outSize);
            col2im(patches, s, output, input, products);
            if (b != null) {
                for (int bb = 0; bb < s; bb++) {
                    for (int c = 0; c < channels; c++) {
                        int from = bb * outSize + c * output.positions();
                        for (int p = from; p < from + output.positions(); p++) {
                            products[p] += b[c];
                        }
                    }
                }
            }
            outs.put(b0 * outSize, products, 0, s * outSize);
        }
        Reference.reachabilityFence(xd);
        Reference.reachabilityFence(wd);
        return out;
    }

    void addKernelGradient(INDArray small, INDArray large, INDArray target) {
        Maps smallMaps = Maps.of(small);
        Maps largeMaps = Maps.of(large);
        int batch = largeMaps.batch();
        int smallChannels = smallMaps.channels();
        int positions = smallMaps.positions();
        int rows = largeMaps.channels() * k * k;
        int chunk = samplesPerChunk((long) Math.max(rows, smallChannels) * positions);
        INDArray smallDense = HostMemory.dense(small);
        INDArray largeDense = HostMemory.dense(large);
        FloatBuffer smalls = HostMemory.floats(smallDense);
        FloatBuffer larges = HostMemory.floats(largeDense);
        FloatPointer tp = HostMemory.pointer(target);
        FloatPointer channelMajor = operand(smallChannels * chunk * positions);
        FloatPointer cols = result(rows * chunk * positions);
        for (int b0 = 0; b0 < batch; b0 += chunk) {
            int s = Math.min(chunk, batch - b0);
            int n = s * positions;
            toChannelMajor(smalls, b0, s, smallMaps, channelMajor);
            toPatches(larges, b0, s, largeMaps, smallMaps, cols);
            Blas.gemm(false, true, smallChannels, rows, n, channelMajor, n, cols, n, 1f, tp, rows);
        }
        Reference.reachabilityFence(smallDense);
        Reference.reachabilityFence(largeDense);
        Reference.reachabilityFence(target);
    }

    /**
     * Patches of s images [s, c, lh, lw] ({@code image}) for the sh×sw window positions of
     * {@code grid}: rows (channel, ki, kj), columns (sample, position); window (i, j) covers pixel
     * (i·stride + ki − pad, j·stride + kj − pad), zero outside the image. Each image plane is first copied into a zero-padded plane
     * that every window lies inside, so that a tap's values for all positions are one gather through
     * a precomputed index table: loops of sh·sw iterations instead of sh loops of sw.
     */
    private void im2col(float[] images, int s, Maps image, Maps grid, float[] cols) {
        int channels = image.channels();
        int lh = image.height();
        int lw = image.width();
        int sh = grid.height();
        int sw = grid.width();
        int positions = sh * sw;
        int n = s * positions;
        int[] index = tapIndex(sh, sw);
        float[] plane = paddedPlane(sh, sw);
        int taps = k * k;
        for (int bb = 0; bb < s; bb++) {
            for (int c = 0; c < channels; c++) {
                pad(images, (bb * channels + c) * lh * lw, lh, lw, sh, sw, plane);
                int rowBase = c * taps * n + bb * positions;
                for (int t = 0; t < taps; t++) {
                    int o = rowBase + t * n;
                    int from = t * positions;
                    for (int p = 0; p < positions; p++) {
                        cols[o + p] = plane[index[from + p]];
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col}, written as a gather: each pixel is the sum of the patch values
     * that came from it (at most ⌈k/stride⌉² per channel), read through a table of their offsets in
     * the patches, so every pixel is written once instead of every patch value being added into
     * place. Overwrites {@code images}.
     */
    private void col2im(float[] cols, int s, Maps image, Maps grid, float[] images) {
        int channels = image.channels();
        int pixels = image.height() * image.width();
        int positions = grid.positions();
        int n = s * positions;
        PixelSources sources = pixelSources(image, grid, n);
        int[] first = sources.first();
        int[] offsets = sources.offsets();
        int taps = k * k;
        for (int bb = 0; bb < s; bb++) {
            for (int c = 0; c < channels; c++) {
                int base = c * taps * n + bb * positions;
                int plane = (bb * channels + c) * pixels;
                for (int q = 0; q < pixels; q++) {
                    float sum = 0f;
                    for (int e = first[q]; e < first[q + 1]; e++) {
                        sum += cols[base + offsets[e]];
                    }
                    images[plane + q] = sum;
                }
            }
        }
    }

    /**
     * For each pixel q of an image, the offsets (tap row · n + window position) of the patch values
     * that came from it: {@code offsets[first[q]] … offsets[first[q + 1] − 1]}, in tap order.
     */
    private record PixelSources(int[] first, int[] offsets) {
    }

    private PixelSources pixelSources(Maps image, Maps grid, int n) {
        if (sources != null && sourcesKey[0] == image.height() && sourcesKey[1] == image.width()
                && sourcesKey[2] == grid.height() && sourcesKey[3] == grid.width() && sourcesKey[4] == n) {
            return sources;
        }
        int lh = image.height();
        int lw = image.width();
        int[] first = new int[lh * lw + 1];
        int[] offsets = new int[k * k * grid.positions()];
        int count = 0;
        for (int li = 0; li < lh; li++) {
            for (int lj = 0; lj < lw; lj++) {
                first[li * lw + lj] = count;
                for (int ki = 0; ki < k; ki++) {
                    int ri = li + pad - ki;
                    if (ri < 0 || ri % stride != 0 || ri / stride >= grid.height()) {
                        continue;
                    }
                    for (int kj = 0; kj < k; kj++) {
                        int rj = lj + pad - kj;
                        if (rj < 0 || rj % stride != 0 || rj / stride >= grid.width()) {
                            continue;
                        }
                        offsets[count++] = (ki * k + kj) * n + (ri / stride) * grid.width() + rj / stride;
                    }
                }
            }
        }
        first[lh * lw] = count;
        sources = new PixelSources(first, offsets);
        sourcesKey = new int[] {lh, lw, grid.height(), grid.width(), n};
        return sources;
    }

    /** Side of the padded plane that the windows of a grid sw wide span: pixels −pad … (sw−1)·stride + k − 1 − pad. */
    private int paddedSide(int sw) {
        return (sw - 1) * stride + k;
    }

    /** Copies image plane {@code from} [lh, lw] into {@code plane}, zero where the windows reach outside it. */
    private void pad(float[] images, int from, int lh, int lw, int sh, int sw, float[] plane) {
        int pw = paddedSide(sw);
        int ph = paddedSide(sh);
        Arrays.fill(plane, 0f);
        int rows = Math.min(lh, ph - pad);
        int width = Math.min(lw, pw - pad);
        for (int li = 0; li < rows; li++) {
            System.arraycopy(images, from + li * lw, plane, (li + pad) * pw + pad, width);
        }
    }

    /** For each tap (ki, kj) and window (i, j): the padded plane's index (i·stride + ki)·pw + j·stride + kj. */
    private int[] tapIndex(int sh, int sw) {
        if (index == null || indexGrid[0] != sh || indexGrid[1] != sw) {
            int pw = paddedSide(sw);
            int positions = sh * sw;
            index = new int[k * k * positions];
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    for (int i = 0; i < sh; i++) {
                        for (int j = 0; j < sw; j++) {
                            index[(ki * k + kj) * positions + i * sw + j] = (i * stride + ki) * pw + j * stride + kj;
                        }
                    }
                }
            }
            indexGrid[0] = sh;
            indexGrid[1] = sw;
            padded = new float[paddedSide(sh) * pw];
        }
        return index;
    }

    private float[] paddedPlane(int sh, int sw) {
        tapIndex(sh, sw);
        return padded;
    }

    /** The shape of a batch of feature maps [batch, channels, height, width]. */
    private record Maps(int batch, int channels, int height, int width) {
        static Maps of(INDArray a) {
            return new Maps((int) a.size(0), (int) a.size(1), (int) a.size(2), (int) a.size(3));
        }

        int positions() {
            return height * width;
        }

        int sampleSize() {
            return channels * height * width;
        }
    }

    /** The patches of samples [b0, b0 + s) of {@code source} ({@code image}) for {@code grid}'s windows, into {@code to}. */
    private void toPatches(FloatBuffer source, int b0, int s, Maps image, Maps grid, FloatPointer to) {
        int values = image.channels() * k * k * s * grid.positions();
        samples = grow(samples, s * image.sampleSize());
        source.get(b0 * image.sampleSize(), samples, 0, s * image.sampleSize());
        patches = grow(patches, values);
        im2col(samples, s, image, grid, patches);
        to.asBuffer().put(0, patches, 0, values);
    }

    /** Samples [b0, b0 + s) of {@code source} ({@code maps}) as [channels, s·positions] into {@code to}. */
    private void toChannelMajor(FloatBuffer source, int b0, int s, Maps maps, FloatPointer to) {
        int channels = maps.channels();
        int positions = maps.positions();
        samples = grow(samples, s * maps.sampleSize());
        source.get(b0 * maps.sampleSize(), samples, 0, s * maps.sampleSize());
        staged = grow(staged, s * maps.sampleSize());
        for (int bb = 0; bb < s; bb++) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(samples, (bb * channels + c) * positions, staged, (c * s + bb) * positions, positions);
            }
        }
        to.asBuffer().put(0, staged, 0, s * maps.sampleSize());
    }

    private static int samplesPerChunk(long floatsPerSample) {
        return (int) Math.max(1, CHUNK_FLOATS / floatsPerSample);
    }

    private static float[] grow(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    private FloatPointer operand(long n) {
        if (operand == null || operand.length() < n) {
            operand = kept(n);
        }
        return HostMemory.pointer(operand);
    }

    private FloatPointer result(long n) {
        if (result == null || result.length() < n) {
            result = kept(n);
        }
        return HostMemory.pointer(result);
    }

    /** Scratch kept across calls: outside any workspace the caller has open, whose memory is reused after it closes. */
    private static INDArray kept(long n) {
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(DataType.FLOAT, n);
        }
    }
}
