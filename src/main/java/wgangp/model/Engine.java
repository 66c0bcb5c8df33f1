package wgangp.model;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.layers.LayerCriticObjective;
import wgangp.model.layers.LayerGeneratorPass;

/**
 * Which implementation of the training numerics runs ({@link CriticObjective}, {@link GeneratorPass},
 * and the optimizer that goes with them).
 * <ul>
 *   <li>{@link #HOST}: loops over the arrays' host buffers between sgemm calls straight into
 *       OpenBLAS: for the MLP, the fused {@link HostCriticObjective} and {@link HostGeneratorPass};
 *       for layer-based networks, the host kernels of the convolutions, Linear, BatchNorm2d and LeakyReLU.
 *       The fastest on ND4J's CPU backend, and only valid there: on a device backend those buffers
 *       are stale host copies, so it refuses to start.</li>
 *   <li>{@link #DEVICE}: the same computation in ND4J ops only (gemm, convolutions, broadcast,
 *       transforms, reductions, ND4J's Adam op) on the layer-based networks, so it runs on whatever
 *       backend ND4J loaded; on CUDA every array stays in GPU memory. On the CPU backend it is
 *       correct but slower: each op call has a fixed cost that the host loops avoid.</li>
 *   <li>{@link #AUTO}: HOST on nd4j-native, DEVICE on any other backend; resolved in the JVM that
 *       trains, since that is where the backend is known.</li>
 * </ul>
 */
public enum Engine {
    AUTO,
    HOST,
    DEVICE;

    public static Engine parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown engine '" + text + "', expected one of "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT));
        }
    }

    /** Whether this JVM's ND4J backend is the CPU one (nd4j-native). */
    public static boolean cpuBackend() {
        return Nd4j.getBackend().getClass().getName().contains("nativecpu");
    }

    /**
     * Whether this engine computes on the arrays' host memory (HOST, once resolved). Refuses when
     * this JVM's backend is not the CPU one, where host memory is a stale copy: every host kernel
     * is chosen through here.
     */
    public boolean onHost() {
        if (resolve() != HOST) {
            return false;
        }
        HostKernels.requireCpuBackend();
        return true;
    }

    /** HOST or DEVICE: what this engine means on this JVM's ND4J backend. */
    public Engine resolve() {
        if (this != AUTO) {
            return this;
        }
        return cpuBackend() ? HOST : DEVICE;
    }

    /**
     * The MLP critic's objectives for batches of {@code batch} rows: on HOST the fused host-loop
     * class, an MLP-only optimisation; on DEVICE the critic as a layer network.
     */
    public CriticObjective criticObjective(Critic critic, int batch, double lambdaGp) {
        return onHost() ? new HostCriticObjective(critic, batch, lambdaGp)
                : new LayerCriticObjective(critic.spec().network(DEVICE), critic.params(), batch, lambdaGp);
    }

    /**
     * The MLP generator's training-mode passes for {@code groups} batches of {@code batch} rows, as
     * above, BatchNorm's statistics taken over each batch across {@code batchNormGroup}.
     */
    public GeneratorPass generatorPass(Generator generator, int batch, int groups, ReplicaGroup batchNormGroup) {
        return onHost() ? new HostGeneratorPass(generator, batch, groups, batchNormGroup)
                : new LayerGeneratorPass(generator.spec().network(DEVICE, batchNormGroup), generator.params(),
                        generator.batchNormStats(), batch, groups);
    }

    /**
     * Writes host values (row-major, exactly as many as {@code target} holds) into a whole array.
     * HOST writes the native buffer directly; DEVICE copies through an ND4J assign, which on CUDA
     * moves the values to the GPU (a direct buffer write would only change the host copy).
     */
    public void fill(INDArray target, float[] values) {
        if (target.offset() != 0 || target.length() != values.length || target.data().length() != values.length) {
            throw new IllegalArgumentException("host values go into whole arrays of the same length, got "
                    + values.length + " values for " + target.shapeInfoToString());
        }
        if (onHost()) {
            target.data().asNioFloat().put(0, values);
        } else {
            target.assign(Nd4j.createFromArray(values).reshape(target.shape()));
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
