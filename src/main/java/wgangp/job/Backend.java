package wgangp.job;

import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.Engine;
import wgangp.model.kernels.OneDnn;
import wgangp.train.BlasKernel;

/** The driver's ND4J backend: whether it can run a run's engine, and the line that says what it is. */
final class Backend {
    private Backend() {
    }

    /**
     * Refuses an engine this JVM's backend cannot run and synchronised BatchNorm on the device
     * engine; else says what the backend is ({@link #line}).
     */
    static String check(JobConfig config) {
        if (config.engine() == Engine.HOST && !Engine.cpuBackend()) {
            throw new IllegalArgumentException("engine=host runs on ND4J's CPU backend only, and this build loaded "
                    + Nd4j.getBackend().getClass().getSimpleName() + "; use engine=device or auto");
        }
        if (config.synchronous() && config.batchNormSync() && config.engine().resolve() == Engine.DEVICE) {
            throw new IllegalArgumentException("generator.batchNormSync=true synchronises BatchNorm on the host engine"
                    + " only, and this run trains on the device engine: set generator.batchNormSync=false");
        }
        return line(config.engine());
    }

    /**
     * The driver's ND4J backend and the engine it means; executors load the same jar, so the same
     * backend. On a device backend, also how many CUDA devices the driver sees.
     */
    private static String line(Engine engine) {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        Engine resolved = engine.resolve();
        String chosen = engine == Engine.AUTO ? "engine auto -> " + resolved : "engine " + resolved;
        if (Engine.cpuBackend()) {
            return "ND4J backend: " + backend + " (" + chosen + "), OpenBLAS kernel " + BlasKernel.inUse().orElseThrow()
                    + " and oneDNN at " + OneDnn.inUse().key()
                    + " on every JVM; each worker sets its native threads to spark.task.cpus";
        }
        return "ND4J backend: " + backend + ", " + Nd4j.getAffinityManager().getNumberOfDevices()
                + " CUDA device(s) visible to the driver (" + chosen + "); each task trains on the GPU Spark assigns"
                + " it (spark.task.resource.gpu.amount), or on ND4J's default device when it has none";
    }
}
