package wgangp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import wgangp.data.IdxImages;
import wgangp.data.IdxReader;
import wgangp.data.ScaledImages;
import wgangp.job.JobConfig;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;
import wgangp.model.Architecture;
import wgangp.model.kernels.Blas;
import wgangp.model.kernels.OneDnn;
import wgangp.train.BlasKernel;
import wgangp.model.DcganSpec;
import wgangp.model.Engine;
import wgangp.train.NativeThreads;
import wgangp.train.StepFlops;
import wgangp.train.WganGpStep;

/**
 * {@code bench}: single-process training throughput of the reference model (or the one {@code --set}
 * chooses, such as model=dcgan) on real images, the same loop the workers run, warm-up excluded.
 * Compare with {@code wgan_gp_reference.py train}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time single-process WGAN-GP training; prints one JSON line.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--iters", defaultValue = "500", description = "critic iterations timed (default: ${DEFAULT-VALUE})")
    int iters;

    @Option(names = "--warmup", defaultValue = "20", description = "critic iterations before timing (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--batch", defaultValue = "64", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--threads", defaultValue = "1", description = "BLAS/OpenMP threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--seed", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    EngineOption engine;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "a configuration key of the model or optimiser (repeatable), e.g. model=dcgan; the batch"
                    + " and engine come from --batch and --engine")
    List<String> settings = new ArrayList<>();

    @Option(names = "--data", defaultValue = "data/mnist/train-images-idx3-ubyte.gz",
            description = "IDX image file on any Hadoop FS (default: ${DEFAULT-VALUE})")
    String data;

    @Override
    public Integer call() throws Exception {
        if (iters < 1 || warmup < 0 || threads < 1) {
            throw new IllegalArgumentException("--iters and --threads must be >= 1 and --warmup >= 0");
        }
        IdxImages images = IdxReader.readImages(data, new Configuration());
        JobConfig job = settings(images);
        job.nativeKernels().pin();
        Engine chosen = engine.resolve();
        NativeThreads.set(threads);
        INDArray matrix = ScaledImages.matrix(images);
        WganGpConfig config = job.model(images.pixelsPerImage()).withEngine(chosen);
        TrainingState state = WganGpStep.initialState(config, seed);
        int timedSteps = Math.max(1, (iters + config.nCritic() - 1) / config.nCritic());
        int warmupSteps = (warmup + config.nCritic() - 1) / config.nCritic();
        WganGpStep.StepRandom random = new WganGpStep.StepRandom(seed);
        WganGpStep.StepLosses losses = null;
        double seconds;
        try (WganGpStep step = new WganGpStep(config, state)) {
            for (int i = 0; i < warmupSteps; i++) {
                step.generatorStep(matrix, random);
            }
            long start = System.nanoTime();
            for (int i = 0; i < timedSteps; i++) {
                losses = step.generatorStep(matrix, random);
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }
        double lastCriticLoss = losses.critic().criticLoss();
        long criticIters = (long) timedSteps * config.nCritic();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("impl", "nd4j");
        line.put("backend", Nd4j.getBackend().getClass().getSimpleName());
        line.put("engine", chosen.toString());
        line.put("model", config.architecture().toString());
        if (config.architecture() == Architecture.DCGAN) {
            line.put("dcgan_dim", config.dcganDim());
        }
        line.put("threads", threads);
        if (Engine.cpuBackend()) {
            line.put("blas_core_type", BlasKernel.inUse().orElseThrow());
            line.put("dnnl_isa", OneDnn.inUse().key());
        }
        line.put("batch", batch);
        line.put("critic_iters", criticIters);
        line.put("seconds", round(seconds, 3));
        line.put("critic_iters_per_s", round(criticIters / seconds, 2));
        line.put("images_per_s", round(criticIters * batch / seconds, 1));
        line.put("last_critic_loss", round(lastCriticLoss, 5));
        double flops = StepFlops.perCriticIteration(config);
        double achieved = flops * criticIters / seconds / 1e9;
        line.put("gflop_per_critic_iter", round(flops / 1e9, 4));
        line.put("achieved_gflops", round(achieved, 1));
        if (chosen == Engine.HOST && config.architecture() == Architecture.MLP) {
            // the step's largest product, [3B, 784]ᵀ·[3B, 512], timed right after the run with the
            // host engine's own sgemm (which has no meaning on a device backend)
            double peak = Blas.peakGflops(784, 3 * batch, 512, 1000);
            line.put("sgemm_peak_gflops", round(peak, 1));
            line.put("share_of_sgemm_peak", round(achieved / peak, 3));
        }
        System.out.println(new ObjectMapper().writeValueAsString(line));
        return ExitCodes.OK;
    }

    /** The built-in defaults (the reference model) with --set laid over them, at --batch. */
    private JobConfig settings(IdxImages images) {
        Map<String, String> overrides = Options.settings(settings);
        for (String key : List.of("batch", "engine")) {
            if (overrides.containsKey(key)) {
                throw new IllegalArgumentException("--set " + key + ": bench takes it from --" + key);
            }
        }
        Map<String, String> base = JobConfig.defaults();
        base.put(JobConfig.BATCH.name(), Integer.toString(batch));
        JobConfig job = JobConfig.fromMap(base, overrides, "bench --set");
        if (job.model() == Architecture.DCGAN) {
            DcganSpec.requireImageShape(images.rows(), images.cols(), images.source());
        }
        return job;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
