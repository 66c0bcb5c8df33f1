package wgangp.model.kernels;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.ReplicaGroup;

/**
 * BatchNorm's three computations for the host engine, as loops over a heap copy of the
 * batch: at the dcgan generator's sizes ND4J's reductions and broadcasts took about a tenth of a
 * training step, a dozen op calls per layer and pass. The formulas and the float32 order of
 * operations are those of the ND4J-op path: (x − mean)·(γ/√(var + eps)) + β.
 */
final class HostBatchNorm {
    private final ReplicaGroup group;

    /** @param group the replicas whose batches are normalized together, each computing its own slice */
    HostBatchNorm(ReplicaGroup group) {
        this.group = group;
    }

    /**
     * Per-channel mean and biased variance of a batch [B, C, H·W] across the group (each replica
     * holding B of the samples), float32 as ND4J's reductions return them.
     */
    private record Moments(float[] mean, float[] variance) {
        static Moments of(float[] x, int batch, int channels, int positions, ReplicaGroup group) {
            double[] sums = new double[channels];
            for (int c = 0; c < channels; c++) {
                for (int b = 0; b < batch; b++) {
                    int from = (b * channels + c) * positions;
                    for (int p = from; p < from + positions; p++) {
                        sums[c] += x[p];
                    }
                }
            }
            group.sum(sums, 0, channels);
            long n = (long) batch * positions * group.size();
            double[] squares = new double[channels];
            for (int c = 0; c < channels; c++) {
                double m = sums[c] / n;
                for (int b = 0; b < batch; b++) {
                    int from = (b * channels + c) * positions;
                    for (int p = from; p < from + positions; p++) {
                        double d = x[p] - m;
                        squares[c] += d * d;
                    }
                }
            }
            group.sum(squares, 0, channels);
            float[] mean = new float[channels];
            float[] variance = new float[channels];
            for (int c = 0; c < channels; c++) {
                mean[c] = (float) (sums[c] / n);
                variance[c] = (float) (squares[c] / n);
            }
            return new Moments(mean, variance);
        }
    }

    /**
     * A backward pass's operands, the batch [B, C, H·W] and ∂L/∂output as heap copies, and what both
     * gradients need per channel: the batch mean, s = 1/√(var + eps), Σδ and Σδ·x̂ with x̂ = (x − mean)·s.
     */
    private record Backward(int batch, int channels, int positions, float[] x, float[] delta, float[] mean,
                            float[] inverseStd, double[] sumDelta, double[] sumDeltaNormalized) {

        /** x̂ of element {@code p}, in channel {@code c}. */
        float normalized(int p, int c) {
            return (x[p] - mean[c]) * inverseStd[c];
        }
    }

    private Backward backward(INDArray input, INDArray outputGradient, double eps) {
        int batch = (int) input.size(0);
        int channels = (int) input.size(1);
        int positions = (int) (input.size(2) * input.size(3));
        float[] x = read(input);
        float[] delta = read(outputGradient);
        Moments m = Moments.of(x, batch, channels, positions, group);
        float[] inverseStd = new float[channels];
        double[] sumDelta = new double[channels];
        double[] sumDeltaNormalized = new double[channels];
        for (int c = 0; c < channels; c++) {
            float s = inverseStd(m.variance()[c], eps);
            inverseStd[c] = s;
            for (int b = 0; b < batch; b++) {
                int from = (b * channels + c) * positions;
                for (int p = from; p < from + positions; p++) {
                    sumDelta[c] += delta[p];
                    sumDeltaNormalized[c] += delta[p] * ((x[p] - m.mean()[c]) * s);
                }
            }
        }
        return new Backward(batch, channels, positions, x, delta, m.mean(), inverseStd, sumDelta, sumDeltaNormalized);
    }

    INDArray forward(INDArray input, Kernels.BatchNormTensors t, double momentum, double eps, boolean training) {
        int batch = (int) input.size(0);
        int channels = (int) input.size(1);
        int positions = (int) (input.size(2) * input.size(3));
        float[] x = read(input);
        float[] mean;
        float[] variance;
        INDArray runningMean = t.runningMean();
        INDArray runningVar = t.runningVar();
        if (training) {
            Moments m = Moments.of(x, batch, channels, positions, group);
            mean = m.mean();
            variance = m.variance();
            long n = (long) batch * positions * group.size();
            float[] rm = read(runningMean);
            float[] rv = read(runningVar);
            for (int c = 0; c < channels; c++) {
                rm[c] = (float) (rm[c] * (1 - momentum) + mean[c] * momentum);
                rv[c] = (float) (rv[c] * (1 - momentum) + variance[c] * momentum * n / (n - 1.0));
            }
            write(rm, runningMean);
            write(rv, runningVar);
        } else {
            mean = read(runningMean);
            variance = read(runningVar);
        }
        float[] gamma = read(t.gamma());
        float[] beta = read(t.beta());
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                float scale = inverseStd(variance[c], eps) * gamma[c];
                int from = (b * channels + c) * positions;
                for (int p = from; p < from + positions; p++) {
                    x[p] = (x[p] - mean[c]) * scale + beta[c];
                }
            }
        }
        return written(x, input.shape());
    }

    /** ∂L/∂x = γ·s·(δ − mean δ − x̂·mean(δ·x̂)) per channel, s = 1/√(var + eps), x̂ the normalized input. */
    INDArray inputGradient(INDArray input, INDArray outputGradient, INDArray gammaValues, double eps) {
        Backward pass = backward(input, outputGradient, eps);
        float[] delta = pass.delta();
        float[] gamma = read(gammaValues);
        long n = (long) pass.batch() * pass.positions() * group.size();
        // the means over the whole batch: every replica's sums in one call, [Σδ | Σδ·x̂] (the weight
        // gradient keeps this replica's own)
        int channels = pass.channels();
        double[] sums = new double[2 * channels];
        System.arraycopy(pass.sumDelta(), 0, sums, 0, channels);
        System.arraycopy(pass.sumDeltaNormalized(), 0, sums, channels, channels);
        group.sum(sums, 0, sums.length);
        for (int c = 0; c < channels; c++) {
            float meanDelta = (float) (sums[c] / n);
            float meanDeltaNormalized = (float) (sums[channels + c] / n);
            float scale = pass.inverseStd()[c] * gamma[c];
            for (int b = 0; b < pass.batch(); b++) {
                int from = (b * pass.channels() + c) * pass.positions();
                for (int p = from; p < from + pass.positions(); p++) {
                    delta[p] = (delta[p] - pass.normalized(p, c) * meanDeltaNormalized - meanDelta) * scale;
                }
            }
        }
        return written(delta, input.shape());
    }

    /** Adds γ's gradient Σ δ·x̂ and (when not null) β's Σ δ, per channel. */
    void weightGradient(INDArray input, INDArray outputGradient, INDArray gammaGradient, INDArray betaGradient,
                        double eps) {
        Backward pass = backward(input, outputGradient, eps);
        float[] gammas = read(gammaGradient);
        for (int c = 0; c < pass.channels(); c++) {
            gammas[c] += (float) pass.sumDeltaNormalized()[c];
        }
        write(gammas, gammaGradient);
        if (betaGradient != null) {
            float[] betas = read(betaGradient);
            for (int c = 0; c < pass.channels(); c++) {
                betas[c] += (float) pass.sumDelta()[c];
            }
            write(betas, betaGradient);
        }
    }

    private static float inverseStd(float variance, double eps) {
        return (float) (1.0 / Math.sqrt(variance + eps));
    }

    private static float[] read(INDArray a) {
        INDArray dense = HostMemory.dense(a);
        float[] values = new float[Math.toIntExact(dense.length())];
        HostMemory.floats(dense).get(0, values);
        Reference.reachabilityFence(dense);
        return values;
    }

    private static void write(float[] values, INDArray target) {
        HostMemory.floats(target).put(0, values);
        Reference.reachabilityFence(target);
    }

    private static INDArray written(float[] values, long[] shape) {
        INDArray out = Nd4j.create(DataType.FLOAT, shape);
        write(values, out);
        return out;
    }
}
