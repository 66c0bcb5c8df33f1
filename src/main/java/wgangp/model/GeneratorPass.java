package wgangp.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One training-mode forward pass of the {@link Generator} and its backward pass, on buffers sized
 * for one batch. BatchNorm uses the batch's mean and biased variance and updates the running
 * statistics, as PyTorch's {@code train()} mode does on every forward.
 */
public final class GeneratorPass {
    private final Generator g;
    private final int batch;
    private final INDArray z;
    private final INDArray[] linear;
    private final INDArray[] normalized;
    private final INDArray[] invStd;
    private final INDArray[] act;
    private final INDArray[] mask;
    private final INDArray images;
    private final INDArray gradient;
    private final INDArray[] weightGrads;
    private final INDArray[] biasGrads;
    private final INDArray[] gammaGrads;
    private final INDArray[] betaGrads;

    GeneratorPass(Generator g, int batch) {
        this.g = g;
        this.batch = batch;
        DataType dt = g.dataType();
        GeneratorSpec spec = g.spec();
        int blocks = spec.hidden().size();
        z = Nd4j.create(dt, batch, spec.latentSize());
        linear = new INDArray[blocks + 1];
        normalized = new INDArray[blocks];
        invStd = new INDArray[blocks];
        act = new INDArray[blocks];
        mask = new INDArray[blocks];
        for (int k = 0; k < blocks; k++) {
            int width = spec.hidden().get(k);
            linear[k] = Nd4j.create(dt, batch, width);
            act[k] = Nd4j.create(dt, batch, width);
            mask[k] = Nd4j.create(dt, batch, width);
            if (spec.hasBatchNorm(k)) {
                normalized[k] = Nd4j.create(dt, batch, width);
            }
        }
        linear[blocks] = Nd4j.create(dt, batch, spec.outputSize());
        images = linear[blocks];
        gradient = Nd4j.create(dt, g.params().length());
        weightGrads = new INDArray[blocks + 1];
        biasGrads = new INDArray[blocks + 1];
        gammaGrads = new INDArray[blocks];
        betaGrads = new INDArray[blocks];
        ParameterLayout layout = g.layout();
        for (int k = 0; k <= blocks; k++) {
            int index = Generator.linearIndex(spec, k);
            weightGrads[k] = layout.view(gradient, "model." + index + ".weight");
            biasGrads[k] = layout.view(gradient, "model." + index + ".bias");
            if (k < blocks && spec.hasBatchNorm(k)) {
                gammaGrads[k] = layout.view(gradient, "model." + (index + 1) + ".weight");
                betaGrads[k] = layout.view(gradient, "model." + (index + 1) + ".bias");
            }
        }
    }

    public int batch() {
        return batch;
    }

    /** The latent batch to fill before {@link #forward()}. */
    public INDArray z() {
        return z;
    }

    /** G(z) after {@link #forward()}, [B, outputSize]. */
    public INDArray images() {
        return images;
    }

    /** The flat gradient written by {@link #backward}, in the generator's parameter layout. */
    public INDArray gradient() {
        return gradient;
    }

    /** G(z) in training mode; updates BatchNorm running statistics. */
    public INDArray forward() {
        GeneratorSpec spec = g.spec();
        INDArray in = z;
        for (int k = 0; k < g.blocks(); k++) {
            INDArray h = linear[k];
            Nd4j.gemm(in, g.weight(k), h, false, false, 1.0, 0.0);
            h.addiRowVector(g.bias(k));
            INDArray preActivation = h;
            if (spec.hasBatchNorm(k)) {
                preActivation = batchNorm(k, h);
            }
            Activations.leaky(preActivation, spec.leakySlope(), act[k]);
            Activations.mask(preActivation, spec.leakySlope(), mask[k]);
            in = act[k];
        }
        int out = g.blocks();
        Nd4j.gemm(in, g.weight(out), images, false, false, 1.0, 0.0);
        images.addiRowVector(g.bias(out));
        Transforms.tanh(images, false);
        return images;
    }

    /** Normalizes h with batch statistics into normalized[k], returns γ⊙x̂+β (a new array). */
    private INDArray batchNorm(int k, INDArray h) {
        GeneratorSpec spec = g.spec();
        INDArray mean = h.mean(0);
        INDArray centered = normalized[k].assign(h).subiRowVector(mean);
        INDArray variance = centered.mul(centered).mean(0);
        invStd[k] = Transforms.pow(variance.add(spec.batchNormEps()), -0.5, false);
        centered.muliRowVector(invStd[k]);
        double m = spec.batchNormMomentum();
        g.runningMean(k).muli(1 - m).addi(mean.muli(m));
        g.runningVar(k).muli(1 - m).addi(variance.muli(m * batch / (batch - 1.0)));
        return normalized[k].mulRowVector(g.gamma(k)).addiRowVector(g.beta(k));
    }

    /**
     * Back-propagates ∂L/∂images through tanh, the dense layers and BatchNorm (batch statistics
     * included) into {@link #gradient()}. Overwrites {@code imageGradient}.
     */
    public void backward(INDArray imageGradient) {
        GeneratorSpec spec = g.spec();
        int out = g.blocks();
        // tanh' = 1 − y²
        INDArray delta = imageGradient.muli(images.mul(images).rsubi(1.0));
        linearBackward(out, act[out - 1], delta);
        INDArray upstream = delta.mmul(g.weight(out).transpose());
        for (int k = out - 1; k >= 0; k--) {
            INDArray d = upstream.muli(mask[k]);
            if (spec.hasBatchNorm(k)) {
                d = batchNormBackward(k, d);
            }
            linearBackward(k, k == 0 ? z : act[k - 1], d);
            if (k > 0) {
                upstream = d.mmul(g.weight(k).transpose());
            }
        }
    }

    private void linearBackward(int k, INDArray input, INDArray delta) {
        Nd4j.gemm(input, delta, weightGrads[k], true, false, 1.0, 0.0);
        biasGrads[k].assign(delta.sum(0));
    }

    /** ∂L/∂h = (1/B)·σ⁻¹·(B·dx̂ − Σ dx̂ − x̂ ⊙ Σ(dx̂ ⊙ x̂)), dx̂ = dy ⊙ γ. */
    private INDArray batchNormBackward(int k, INDArray dy) {
        INDArray xHat = normalized[k];
        gammaGrads[k].assign(dy.mul(xHat).sum(0));
        betaGrads[k].assign(dy.sum(0));
        INDArray dxHat = dy.muliRowVector(g.gamma(k));
        INDArray sumDxHat = dxHat.sum(0);
        INDArray sumDxHatXHat = dxHat.mul(xHat).sum(0);
        return dxHat.muli(batch)
                .subiRowVector(sumDxHat)
                .subi(xHat.mulRowVector(sumDxHatXHat))
                .muliRowVector(invStd[k].div(batch));
    }
}
