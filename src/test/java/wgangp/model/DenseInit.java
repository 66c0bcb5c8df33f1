package wgangp.model;

import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** PyTorch's default Linear initialisation, so that runs start from comparable weights. */
final class DenseInit {
    private DenseInit() {
    }

    /** Weights and bias ~ U(±1/√fanIn): what kaiming_uniform(a=√5) and the bias rule of nn.Linear give. */
    static void uniformFanIn(INDArray weight, INDArray bias, RandomGenerator rng) {
        double bound = 1.0 / Math.sqrt(weight.size(0));
        uniform(weight, bound, rng);
        uniform(bias, bound, rng);
    }

    private static void uniform(INDArray target, double bound, RandomGenerator rng) {
        float[] values = new float[Math.toIntExact(target.length())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rng.nextDouble(-bound, bound);
        }
        target.assign(Nd4j.createFromArray(values).reshape(target.shape()));
    }
}
