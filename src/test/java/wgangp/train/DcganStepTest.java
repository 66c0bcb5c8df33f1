package wgangp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.data.IdxReader;
import wgangp.data.ScaledImages;
import wgangp.job.DefaultConfigs;
import wgangp.model.DcganSpec;
import wgangp.model.Engine;
import wgangp.model.ParameterLayout;

/** WGAN-GP steps of a small dcgan (D=4) on the bundled digits, through the layer-based networks. */
class DcganStepTest {
    private static final int DIM = 4;
    private static INDArray data;
    private static final WganGpConfig MLP = DefaultConfigs.model(784);
    private static final WganGpConfig CONFIG = DefaultConfigs.model(784, "batch", "16", "model", "dcgan", "dcgan.dim",
            String.valueOf(DIM));

    @BeforeAll
    static void load() {
        data = ScaledImages.matrix(IdxReader.readImages("data/mnist/train-images-idx3-ubyte.gz", new Configuration()));
    }

    @Test
    void initialWeightsArePyTorchDefaults() {
        TrainingState s = WganGpStep.initialState(CONFIG, 5);
        DcganSpec spec = CONFIG.dcgan();
        ParameterLayout g = spec.generator().layout();
        ParameterLayout c = spec.critic().layout();
        assertEquals(g.length(), s.generatorParams().length);
        assertEquals(c.length(), s.criticParams().length);
        // Linear: fan-in Z; Conv2d: in·k·k; ConvTranspose2d: weight dim 1 (out)·k·k
        assertUniform(s.generatorParams(), g.tensor("fc.weight"), 100);
        assertUniform(s.generatorParams(), g.tensor("up1.weight"), DIM * 16);
        assertUniform(s.generatorParams(), g.tensor("up2.weight"), 16);
        assertUniform(s.criticParams(), c.tensor("conv1.weight"), 16);
        assertUniform(s.criticParams(), c.tensor("conv2.weight"), DIM * 16);
        assertUniform(s.criticParams(), c.tensor("fc.weight"), 2 * DIM * 49);
        for (String bn : List.of("bn0", "bn1")) {
            ParameterLayout.Tensor gamma = g.tensor(bn + ".weight");
            ParameterLayout.Tensor beta = g.tensor(bn + ".bias");
            for (int i = 0; i < gamma.length(); i++) {
                assertEquals(1f, s.generatorParams()[(int) gamma.offset() + i]);
                assertEquals(0f, s.generatorParams()[(int) beta.offset() + i]);
            }
        }
        // [mean | var] of bn0 (2D channels), then of bn1 (D channels)
        float[] stats = s.generatorBatchNormStats();
        assertEquals(2 * (2 * DIM + DIM), stats.length);
        assertEquals(0f, stats[0]);
        assertEquals(1f, stats[2 * DIM]);
        assertEquals(1f, stats[stats.length - 1]);
    }

    @Test
    void stepsLearnAndMoveEveryNetwork() {
        TrainingState start = WganGpStep.initialState(CONFIG, 3);
        try (WganGpStep step = new WganGpStep(CONFIG, start)) {
            WganGpStep.StepRandom random = new WganGpStep.StepRandom(3);
            WganGpStep.StepLosses first = step.generatorStep(data, random);
            WganGpStep.StepLosses last = first;
            for (int i = 0; i < 7; i++) {
                last = step.generatorStep(data, random);
            }
            TrainingState end = step.state();
            assertTrue(end.firstNonFinite() == null);
            assertEquals(8, end.generatorSteps());
            assertEquals(40, end.criticSteps());
            assertTrue(maxAbsDifference(start.criticParams(), end.criticParams()) > 1e-3, "critic moved");
            assertTrue(maxAbsDifference(start.generatorParams(), end.generatorParams()) > 1e-3, "generator moved");
            assertTrue(maxAbsDifference(start.generatorBatchNormStats(), end.generatorBatchNormStats()) > 1e-3,
                    "BatchNorm running statistics moved");
            // 40 critic updates open a gap between real and generated scores
            assertTrue(last.critic().wassersteinEstimate() > first.critic().wassersteinEstimate(),
                    first.critic().wassersteinEstimate() + " -> " + last.critic().wassersteinEstimate());
        }
    }

    @Test
    void hostAndDeviceEnginesAgreeOnAWholeStep() {
        TrainingState warm = LocalTrainer.runRound(CONFIG, WganGpStep.initialState(CONFIG, 3), data, 5, 0, 0, 2)
                .state();
        TrainingState[] after = new TrainingState[2];
        Engine[] engines = {Engine.HOST, Engine.DEVICE};
        for (int i = 0; i < 2; i++) {
            try (WganGpStep step = new WganGpStep(CONFIG.withEngine(engines[i]), warm)) {
                step.generatorStep(data, new WganGpStep.StepRandom(77));
                after[i] = step.state();
            }
        }
        assertRelative(after[0].criticParams(), after[1].criticParams(), "critic parameters");
        // up1's bias feeds BatchNorm: its gradient is float rounding noise, which Adam scales to full
        // steps of either sign, so the two engines' roundings move it apart; every other tensor agrees
        ParameterLayout.Tensor cancelled = CONFIG.dcgan().generator().layout().tensor("up1.bias");
        for (TrainingState t : after) {
            java.util.Arrays.fill(t.generatorParams(), (int) cancelled.offset(),
                    (int) (cancelled.offset() + cancelled.length()), 0f);
        }
        assertRelative(after[0].generatorParams(), after[1].generatorParams(), "generator parameters");
        assertRelative(after[0].criticAdam(), after[1].criticAdam(), "critic Adam state");
        assertRelative(after[0].generatorBatchNormStats(), after[1].generatorBatchNormStats(), "statistics");
    }

    @Test
    void aStateOfAnotherSizeIsRefused() {
        TrainingState mlp = WganGpStep.initialState(MLP, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WganGpStep(CONFIG, mlp));
        assertTrue(e.getMessage().startsWith("network state has"), e.getMessage());
    }

    @Test
    void imagesOtherThan28By28AndANonPositiveDimAreRefused() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> DcganSpec.requireImageShape(20, 20, "small-images"));
        assertTrue(size.getMessage().startsWith("model=dcgan takes 28x28 images"), size.getMessage());
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                () -> DefaultConfigs.job("model", "dcgan", "dcgan.dim", "0"));
        assertTrue(dim.getMessage().startsWith("dcgan.dim=0"), dim.getMessage());
    }

    @Test
    void samplesAreImagesInTheTanhRange() {
        TrainingState s = WganGpStep.initialState(CONFIG, 2);
        float[][] images = SampleNoise.images(CONFIG, s, SampleNoise.draw(3, 100, 1));
        assertEquals(3, images.length);
        assertEquals(784, images[0].length);
        INDArray all = Nd4j.createFromArray(images);
        assertTrue(all.amaxNumber().doubleValue() <= 1 && all.amaxNumber().doubleValue() > 0);
    }

    private static void assertUniform(float[] flat, ParameterLayout.Tensor t, long fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        double max = 0;
        for (int i = 0; i < t.length(); i++) {
            max = Math.max(max, Math.abs(flat[(int) t.offset() + i]));
        }
        assertTrue(max <= bound, t.name() + " within ±1/√" + fanIn + ": " + max);
        // a tensor of at least 16 uniform values reaches past half its bound (otherwise the bound is wrong)
        assertTrue(max > bound / 2, t.name() + " spans its bound: " + max + " of " + bound);
    }

    private static void assertRelative(float[] host, float[] device, String what) {
        double scale = 0;
        for (float v : host) {
            scale = Math.max(scale, Math.abs(v));
        }
        double error = maxAbsDifference(host, device) / scale;
        assertTrue(error < 1e-5, what + ": relative error " + error);
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
