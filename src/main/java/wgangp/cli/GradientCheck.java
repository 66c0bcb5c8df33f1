package wgangp.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.io.ReferenceFixture;
import wgangp.model.Activation;
import wgangp.model.CriticObjective;
import wgangp.model.CriticSpec;
import wgangp.model.DcganSpec;
import wgangp.model.Engine;
import wgangp.model.ReplicaGroup;
import wgangp.model.GeneratorPass;
import wgangp.model.GeneratorSpec;
import wgangp.model.Normalization;
import wgangp.model.ParameterLayout;
import wgangp.model.layers.LayerNetwork;

/**
 * Rebuilds both networks from a PyTorch reference fixture, computes the critic-loss and
 * generator-loss gradients with this engine from the fixture's weights and inputs, and
 * compares them tensor by tensor. The engine computes in float32, as it trains; the reference
 * is PyTorch's float32, so agreement is to float32 rounding (about 1e-6 relative).
 *
 * <p>The error of a tensor is max|ours − reference| divided by the tensor's largest reference
 * magnitude. The exception are tensors whose gradient is zero in exact arithmetic — the bias of a
 * Linear layer feeding BatchNorm, which the batch mean cancels: PyTorch returns float32 rounding
 * noise there (about 1e-7 of the network's scale), this engine exact zeros, so their error is
 * measured against the network's largest gradient instead.
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /** Our values, the reference's, and the relative error of every gradient tensor. */
    public record Result(double criticLoss, double referenceCriticLoss, double wassersteinTerm,
                         double referenceWassersteinTerm, double gradientPenalty, double referenceGradientPenalty,
                         double generatorLoss, double referenceGeneratorLoss, double fakeMaxAbsError,
                         Map<String, Double> criticErrors, Map<String, Double> generatorErrors,
                         Map<String, INDArray> criticGradients, Map<String, INDArray> generatorGradients) {

        public double lossError() {
            return Math.max(Math.max(rel(criticLoss, referenceCriticLoss), rel(generatorLoss, referenceGeneratorLoss)),
                    Math.max(rel(wassersteinTerm, referenceWassersteinTerm), rel(gradientPenalty, referenceGradientPenalty)));
        }

        public double maxError() {
            double worst = lossError();
            for (double e : criticErrors.values()) {
                worst = Math.max(worst, e);
            }
            for (double e : generatorErrors.values()) {
                worst = Math.max(worst, e);
            }
            return worst;
        }

        private static double rel(double ours, double reference) {
            return Math.abs(ours - reference) / Math.max(Math.abs(reference), 1e-6);
        }
    }

    /** {@link #run(ReferenceFixture, Engine)} on the engine this JVM's backend picks. */
    public static Result run(ReferenceFixture f) {
        return run(f, Engine.AUTO);
    }

    /**
     * The fixture's gradients computed by {@code engine}, compared with PyTorch's: both networks of
     * the fixture's {@code --arch} rebuilt from its weights and trained through the passes the
     * engine trains with.
     */
    public static Result run(ReferenceFixture f, Engine engine) {
        int imageSize = (int) f.real().size(1);
        LayerNetwork critic;
        LayerNetwork generator;
        // the fixture's BatchNorm momentum and eps: PyTorch's defaults, which the reference keeps
        if (f.arch().equals("dcgan")) {
            DcganSpec.requireImageSize(imageSize);
            DcganSpec spec = new DcganSpec(f.latentDim(), f.dim(), f.leakySlope(), 0.1, 1e-5);
            critic = spec.critic();
            generator = spec.generator();
        } else {
            critic = new CriticSpec(imageSize, f.criticHidden(), Activation.LEAKYRELU, f.leakySlope(),
                    Normalization.NONE).network();
            generator = new GeneratorSpec(f.latentDim(), f.generatorHidden(), f.leakySlope(), imageSize, 0.1, 1e-5)
                    .network();
        }
        INDArray criticParams = fromTorch(critic.layout(), f.criticParams(), "critic").castTo(DataType.FLOAT);
        INDArray generatorParams = fromTorch(generator.layout(), f.generatorParams(), "generator")
                .castTo(DataType.FLOAT);
        INDArray statistics = Nd4j.zeros(DataType.FLOAT, generator.statisticsLength());
        try (CriticObjective objective = engine.criticObjective(critic, criticParams, f.batch(), f.lambdaGp());
             GeneratorPass pass = engine.generatorPass(generator, generatorParams, statistics, f.batch(), 1,
                     ReplicaGroup.SINGLE)) {
            return compare(f, objective, critic.layout(), pass, generator.layout(), generator.cancelledBiases());
        }
    }

    /**
     * Runs the critic objective and the generator pass on the fixture's inputs and compares their
     * losses and gradients (split into tensors by the two layouts) with the fixture's.
     *
     * @param exactZeros generator tensors whose gradient is zero in exact arithmetic
     */
    static Result compare(ReferenceFixture f, CriticObjective objective, ParameterLayout criticLayout,
                          GeneratorPass pass, ParameterLayout generatorLayout, java.util.Set<String> exactZeros) {
        objective.realRows().assign(f.real());
        objective.fakeRows().assign(f.fake());
        CriticObjective.CriticLoss loss = objective.criticLossGradient(f.epsilon().castTo(DataType.FLOAT));
        Map<String, INDArray> criticGrads = toTorch(criticLayout, objective.gradient());

        pass.z().assign(f.z());
        INDArray images = pass.forward();
        double fakeError = images.castTo(DataType.DOUBLE).sub(f.fake()).amaxNumber().doubleValue();
        INDArray imageGradient = images.ulike();
        double generatorLoss = objective.generatorLossGradient(images, imageGradient);
        pass.backward(imageGradient);
        Map<String, INDArray> generatorGrads = toTorch(generatorLayout, pass.gradient());

        return new Result(loss.criticLoss(), f.criticLoss(), loss.wassersteinTerm(), f.wassersteinTerm(),
                loss.gradientPenalty(), f.gradientPenalty(), generatorLoss, f.generatorLoss(), fakeError,
                errors(criticGrads, f.criticGrads(), "critic", java.util.Set.of()),
                errors(generatorGrads, f.generatorGrads(), "generator", exactZeros),
                criticGrads, generatorGrads);
    }

    /** A flat double vector in our layout from PyTorch tensors (Linear weights transposed). */
    static INDArray fromTorch(ParameterLayout layout, Map<String, INDArray> tensors, String network) {
        INDArray flat = Nd4j.zeros(DataType.DOUBLE, layout.length());
        for (ParameterLayout.Tensor t : layout.tensors()) {
            INDArray source = tensors.get(t.name());
            if (source == null) {
                throw new IllegalArgumentException("the fixture's " + network + " has no tensor " + t.name()
                        + "; its tensors do not match its own arch and sizes");
            }
            INDArray ours = t.transposedFromTorch() ? source.transpose() : source;
            INDArray view = layout.view(flat, t.name());
            if (!java.util.Arrays.equals(ours.shape(), view.shape())) {
                throw new IllegalArgumentException("fixture tensor " + network + " " + t.name() + " has shape "
                        + java.util.Arrays.toString(source.shape()) + ", expected "
                        + (t.transposedFromTorch() ? "the transpose of " : "")
                        + java.util.Arrays.toString(view.shape()));
            }
            view.assign(ours);
        }
        return flat;
    }

    /** Our flat gradient split into tensors in PyTorch layout. */
    static Map<String, INDArray> toTorch(ParameterLayout layout, INDArray flat) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParameterLayout.Tensor t : layout.tensors()) {
            INDArray view = layout.view(flat, t.name());
            out.put(t.name(), (t.transposedFromTorch() ? view.transpose() : view).dup());
        }
        return out;
    }

    static Map<String, Double> errors(Map<String, INDArray> ours, Map<String, INDArray> reference, String network,
                                      java.util.Set<String> exactZeros) {
        double networkScale = 0;
        for (INDArray r : reference.values()) {
            networkScale = Math.max(networkScale, r.amaxNumber().doubleValue());
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : ours.entrySet()) {
            INDArray ref = reference.get(e.getKey());
            if (ref == null) {
                throw new IllegalArgumentException("the fixture has no " + network + " gradient " + e.getKey());
            }
            double scale = exactZeros.contains(e.getKey()) ? networkScale : ref.amaxNumber().doubleValue();
            double diff = e.getValue().castTo(DataType.DOUBLE).sub(ref.reshape(e.getValue().shape())).amaxNumber().doubleValue();
            out.put(network + "." + e.getKey(), scale == 0 ? diff : diff / scale);
        }
        return out;
    }
}
