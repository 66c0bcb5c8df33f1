package wgangp.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** PyTorch's default Linear initialisation, so that runs start from comparable weights. */
final class DenseInit {
    private DenseInit() {
    }

    /** Weights and bias ~ U(±1/√fanIn): what kaiming_uniform(a=√5) and the bias rule of nn.Linear give. */
    static void uniformFanIn(INDArray weight, INDArray bias, Random rng) {
        double bound = 1.0 / Math.sqrt(weight.size(0));
        Nd4j.getExecutioner().exec(new UniformDistribution(weight, -bound, bound), rng);
        Nd4j.getExecutioner().exec(new UniformDistribution(bias, -bound, bound), rng);
    }
}
