package wgangp.model.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.ops.transforms.Transforms;
import wgangp.model.Engine;
import wgangp.model.ReplicaGroup;

/**
 * PyTorch's BatchNorm2d on [C, H, W]: per channel over the batch and both spatial axes, weight γ
 * [C] and bias β [C]. Running statistics [mean | var] (C each) move by the momentum with the
 * unbiased variance, as in PyTorch and the MLP generator. Couples the samples of a batch and is not
 * piecewise-linear, so it is a generator-only kind. On the host engine {@link HostBatchNorm} computes it.
 */
public final class BatchNorm2d implements Layer {
    private static final int[] REDUCED = {0, 2, 3};
    private final String name;
    private final long[] shape;
    private final double momentum;
    private final double eps;
    private final HostBatchNorm host;

    /** @param engine whose kernels compute it */
    public BatchNorm2d(String name, long[] shape, double momentum, double eps, Engine engine) {
        this(name, shape, momentum, eps, engine, ReplicaGroup.SINGLE);
    }

    /**
     * @param engine         whose kernels compute it
     * @param batchNormGroup the replicas whose batches it normalizes together (synchronised
     *                       BatchNorm); more than one needs the host engine's kernels
     */
    public BatchNorm2d(String name, long[] shape, double momentum, double eps, Engine engine,
                       ReplicaGroup batchNormGroup) {
        this.name = name;
        this.shape = Shapes.requireRank(shape, 3, name);
        if (!(momentum > 0 && momentum <= 1) || !(eps > 0)) {
            throw new IllegalArgumentException(name + ": BatchNorm needs momentum in (0, 1] and eps > 0, got "
                    + momentum + ", " + eps);
        }
        this.momentum = momentum;
        this.eps = eps;
        if (batchNormGroup.size() > 1 && !engine.onHost()) {
            throw new IllegalArgumentException(name + ": BatchNorm synchronised across replicas runs on the host"
                    + " engine only; set generator.batchNormSync=false to train on engine=" + engine.resolve());
        }
        this.host = engine.onHost() ? new HostBatchNorm(momentum, eps, batchNormGroup) : null;
    }

    @Override
    public long[] outputShape() {
        return shape.clone();
    }

    @Override
    public List<Parameter> parameters() {
        long channels = shape[0];
        return List.of(new Parameter(name + ".weight", new long[] {channels}, Parameter.Init.ONES, 0),
                new Parameter(name + ".bias", new long[] {channels}, Parameter.Init.ZEROS, 0));
    }

    /** [running mean | running var]; a fresh network starts them at 0 and 1. */
    @Override
    public long statisticsLength() {
        return 2 * shape[0];
    }

    /** Running mean, the first half of the statistics. */
    public INDArray runningMean(INDArray statistics) {
        return statistics.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, shape[0]));
    }

    /** Running (unbiased) variance, the second half of the statistics. */
    public INDArray runningVar(INDArray statistics) {
        return statistics.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(shape[0], 2 * shape[0]));
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode) {
        if (host != null) {
            return host.forward(input, weights, mode, this);
        }
        INDArray mean;
        INDArray variance;
        if (mode == Mode.TRAINING) {
            mean = input.mean(REDUCED);
            variance = input.var(false, REDUCED);
            long n = input.length() / shape[0];
            runningMean(weights.statistics()).muli(1 - momentum).addi(mean.mul(momentum));
            runningVar(weights.statistics()).muli(1 - momentum).addi(variance.mul(momentum * n / (n - 1.0)));
        } else {
            mean = runningMean(weights.statistics());
            variance = runningVar(weights.statistics());
        }
        INDArray scale = inverseStd(variance).muli(weights.get(0));
        INDArray out = Broadcast.sub(input, mean, input.ulike(), 1);
        Broadcast.mul(out, scale, out, 1);
        return Broadcast.add(out, weights.get(1), out, 1);
    }

    /**
     * Training mode: with n values per channel, x̂ the normalized input and s = 1/√(var + eps),
     * ∂L/∂x = γ·s·(δ − mean δ − x̂·mean(δ·x̂)), the batch statistics' own dependence included.
     */
    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights) {
        if (host != null) {
            return host.inputGradient(input, outputGradient, weights);
        }
        INDArray invStd = inverseStd(input.var(false, REDUCED));
        INDArray normalized = normalized(input, invStd);
        INDArray meanDelta = outputGradient.mean(REDUCED);
        INDArray meanDeltaNormalized = outputGradient.mul(normalized).mean(REDUCED);
        INDArray gradient = Broadcast.mul(normalized, meanDeltaNormalized, normalized, 1);
        gradient.rsubi(outputGradient);
        Broadcast.sub(gradient, meanDelta, gradient, 1);
        return Broadcast.mul(gradient, invStd.muli(weights.get(0)), gradient, 1);
    }

    @Override
    public void weightGradient(INDArray input, INDArray outputGradient, LayerWeights weights, LayerWeights gradient,
                               boolean withBias) {
        if (host != null) {
            host.weightGradient(input, outputGradient, gradient, withBias);
            return;
        }
        INDArray normalized = normalized(input, inverseStd(input.var(false, REDUCED)));
        gradient.get(0).addi(normalized.muli(outputGradient).sum(REDUCED));
        if (withBias) {
            gradient.get(1).addi(outputGradient.sum(REDUCED));
        }
    }

    private INDArray inverseStd(INDArray variance) {
        return Transforms.pow(variance.add(eps), -0.5, false);
    }

    private static INDArray normalized(INDArray input, INDArray invStd) {
        INDArray out = Broadcast.sub(input, input.mean(REDUCED), input.ulike(), 1);
        return Broadcast.mul(out, invStd, out, 1);
    }
}
