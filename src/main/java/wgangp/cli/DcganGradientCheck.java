package wgangp.cli;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.io.ReferenceFixture;
import wgangp.model.DcganSpec;
import wgangp.model.Engine;
import wgangp.model.layers.LayerCriticObjective;
import wgangp.model.layers.LayerGeneratorPass;
import wgangp.model.layers.LayerNetwork;

/**
 * {@link GradientCheck} for a fixture of the reference's {@code --arch dcgan}: both layer networks
 * rebuilt from its weights (PyTorch's layout is the networks' own), the critic loss and the
 * generator loss computed from its inputs in float32, gradients compared tensor by tensor, the
 * convolutions on the engine's kernels.
 */
final class DcganGradientCheck {
    private DcganGradientCheck() {
    }

    static GradientCheck.Result run(ReferenceFixture f, Engine engine) {
        if (f.real().size(1) != DcganSpec.IMAGE_SIZE) {
            throw new IllegalArgumentException("the dcgan fixture's images have " + f.real().size(1)
                    + " pixels, dcgan takes 28x28 = " + DcganSpec.IMAGE_SIZE);
        }
        // the fixture's BatchNorm momentum and eps: PyTorch's defaults, which the reference keeps
        DcganSpec spec = new DcganSpec(f.latentDim(), f.dim(), f.leakySlope(), 0.1, 1e-5);
        LayerNetwork criticNet = spec.critic(engine);
        LayerNetwork generatorNet = spec.generator(engine);
        INDArray criticParams = GradientCheck.fromTorch(criticNet.layout(), f.criticParams(), "critic")
                .castTo(DataType.FLOAT);
        INDArray generatorParams = GradientCheck.fromTorch(generatorNet.layout(), f.generatorParams(), "generator")
                .castTo(DataType.FLOAT);
        INDArray statistics = Nd4j.zeros(DataType.FLOAT, generatorNet.statisticsLength());

        try (LayerCriticObjective objective = new LayerCriticObjective(criticNet, criticParams, f.batch(),
                f.lambdaGp());
             LayerGeneratorPass pass = new LayerGeneratorPass(generatorNet, generatorParams, statistics, f.batch(), 1)) {
            return GradientCheck.compare(f, objective, criticNet.layout(), pass, generatorNet.layout(),
                    DcganSpec.biasesFeedingBatchNorm());
        }
    }
}
