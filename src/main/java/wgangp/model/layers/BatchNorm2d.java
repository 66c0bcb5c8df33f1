package wgangp.model.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import wgangp.model.kernels.Kernels;

/**
 * PyTorch's BatchNorm2d on [C, H, W]: per channel over the batch and both spatial axes, weight γ
 * [C] and bias β [C]. Running statistics [mean | var] (C each) move by the momentum with the
 * unbiased variance, as in PyTorch. Couples the samples of a batch and is not piecewise-linear, so
 * it is a generator-only kind. Which samples make up "the batch" is the kernels' business: a
 * replica training with synchronised BatchNorm has kernels that take the statistics across its group.
 */
public final class BatchNorm2d implements Layer {
    private final String name;
    private final long[] shape;
    private final double momentum;
    private final double eps;

    public BatchNorm2d(String name, long[] shape, double momentum, double eps) {
        this.name = name;
        this.shape = Shapes.requireRank(shape, 3, name);
        if (!(momentum > 0 && momentum <= 1) || !(eps > 0)) {
            throw new IllegalArgumentException(name + ": BatchNorm needs momentum in (0, 1] and eps > 0, got "
                    + momentum + ", " + eps);
        }
        this.momentum = momentum;
        this.eps = eps;
    }

    public String name() {
        return name;
    }

    public double momentum() {
        return momentum;
    }

    public double eps() {
        return eps;
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
        return statistics.get(NDArrayIndex.interval(0, shape[0]));
    }

    /** Running (unbiased) variance, the second half of the statistics. */
    public INDArray runningVar(INDArray statistics) {
        return statistics.get(NDArrayIndex.interval(shape[0], 2 * shape[0]));
    }

    @Override
    public INDArray forward(INDArray input, LayerWeights weights, Mode mode, Kernels kernels) {
        Kernels.BatchNormTensors tensors = new Kernels.BatchNormTensors(weights.get(0), weights.get(1),
                runningMean(weights.statistics()), runningVar(weights.statistics()));
        return kernels.batchNorm(input, tensors, momentum, eps, mode == Mode.TRAINING);
    }

    /** Training mode: the batch statistics' own dependence on the input included. */
    @Override
    public INDArray inputGradient(INDArray input, INDArray output, INDArray outputGradient, LayerWeights weights,
                                  Kernels kernels) {
        return kernels.batchNormInputGradient(input, outputGradient, weights.get(0), eps);
    }

    @Override
    public void weightGradient(INDArray input, INDArray outputGradient, LayerWeights weights, LayerWeights gradient,
                               boolean withBias, Kernels kernels) {
        kernels.addBatchNormWeightGradient(input, outputGradient, gradient.get(0), withBias ? gradient.get(1) : null,
                eps);
    }
}
