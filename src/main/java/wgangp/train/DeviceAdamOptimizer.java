package wgangp.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link AdamOptimizer}'s update (PyTorch's Adam) with ND4J's fused Adam op, for any backend: on
 * CUDA the parameters, the gradient and the state [m | v] never leave the GPU.
 *
 * <p>ND4J's op computes θ ← θ − lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε'), adding ε' to √v where PyTorch adds
 * ε to √v̂ = √v/√(1−β₂ᵗ). With ε' = ε·√(1−β₂ᵗ) the two are the same formula, so that is what is
 * passed: otherwise parameters whose gradients are near ε would move differently.
 */
final class DeviceAdamOptimizer implements Optimizer {
    private final INDArray params;
    private final INDArray m;
    private final INDArray v;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    DeviceAdamOptimizer(INDArray params, INDArray state, WganGpConfig config) {
        if (params.dataType() != DataType.FLOAT || state.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("parameters and Adam state must be float vectors, got "
                    + params.dataType() + " and " + state.dataType());
        }
        long n = params.length();
        if (state.length() != 2 * n) {
            throw new IllegalArgumentException("Adam state has " + state.length() + " values, expected 2 x " + n);
        }
        this.params = params;
        this.m = state.get(NDArrayIndex.interval(0, n));
        this.v = state.get(NDArrayIndex.interval(n, 2 * n));
        this.learningRate = config.learningRate();
        this.beta1 = config.beta1();
        this.beta2 = config.beta2();
        this.epsilon = config.adamEpsilon();
    }

    /** Overwrites {@code gradient} with the update it applies. */
    @Override
    public void step(INDArray gradient, long iteration) {
        if (gradient.length() != params.length()) {
            throw new IllegalArgumentException("gradient has " + gradient.length() + " values, the parameters "
                    + params.length());
        }
        double bias2 = 1 - Math.pow(beta2, iteration + 1);
        Nd4j.exec(new AdamUpdater(gradient, v, m, learningRate, beta1, beta2, epsilon * Math.sqrt(bias2),
                Math.toIntExact(iteration)));
        params.subi(gradient);
    }
}
