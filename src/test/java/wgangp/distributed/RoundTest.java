package wgangp.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import wgangp.data.IdxImages;
import wgangp.data.Shard;
import wgangp.data.Shards;
import wgangp.job.DefaultConfigs;
import wgangp.model.kernels.OneDnn;
import wgangp.train.BlasKernel;
import wgangp.train.NativeKernels;
import wgangp.train.OuterOptimizer;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;
import wgangp.train.WganGpStep;

/** One round on {@code local[2]}, and the BLAS kernel check each of its tasks makes. */
@Tag("integration")
class RoundTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("round-test")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /**
     * A task whose JVM computes with another kernel than the run's fails with one line naming
     * where it ran, its kernel and the run's; Spark stays up and the next round with the right
     * kernel trains.
     */
    @Test
    void aTaskOnAnotherKernelFailsAndTheContextCarriesOn() {
        String inUse = BlasKernel.inUse().orElseThrow();
        String other = inUse.equalsIgnoreCase("Sandybridge") ? "Haswell" : "Sandybridge";
        WganGpConfig config = DefaultConfigs.model(16, "batch", "8");
        TrainingState start = WganGpStep.initialState(config, 3);
        JavaRDD<Shard> shards = sc.parallelize(Shards.split(images(64), 2, 5), 2);

        BlasKernel.KernelMismatchException e = assertThrows(BlasKernel.KernelMismatchException.class,
                () -> Round.run(sc, shards, config, OuterOptimizer.AVERAGING, start, 3, 1, 2,
                        new NativeKernels(other, OneDnn.inUse())));
        assertTrue(e.getMessage().matches("executor driver on host \\S+ computes with OpenBLAS kernel " + inUse
                + " but the run uses blas.coreType=" + other + "( \\(OPENBLAS_CORETYPE=\\S+ there\\))?;.*"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());

        Round.Result ok = Round.run(sc, shards, config, OuterOptimizer.AVERAGING, start, 3, 1, 2,
                new NativeKernels(inUse, OneDnn.inUse()));
        assertEquals(1, ok.averaged().generatorSteps());
    }

    /** The same for oneDNN's instruction set: the task names its own and the run's. */
    @Test
    void aTaskOnAnotherConvolutionInstructionSetFails() {
        OneDnn.Isa inUse = OneDnn.inUse();
        OneDnn.Isa other = inUse == OneDnn.Isa.SSE41 ? OneDnn.Isa.AVX : OneDnn.Isa.SSE41;
        WganGpConfig config = DefaultConfigs.model(16, "batch", "8");
        TrainingState start = WganGpStep.initialState(config, 3);
        JavaRDD<Shard> shards = sc.parallelize(Shards.split(images(64), 2, 5), 2);

        BlasKernel.KernelMismatchException e = assertThrows(BlasKernel.KernelMismatchException.class,
                () -> Round.run(sc, shards, config, OuterOptimizer.AVERAGING, start, 3, 1, 2,
                        new NativeKernels(BlasKernel.inUse().orElseThrow(), other)));
        assertTrue(e.getMessage().matches("executor driver on host \\S+ computes with oneDNN at "
                + inUse.key() + " but the run uses dnnl.isa=" + other.key() + ";.*"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    private static IdxImages images(int count) {
        byte[] pixels = new byte[count * 16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        return new IdxImages("synthetic", count, 4, 4, pixels);
    }
}
