package wgangp.model;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.fused.FusedCriticObjective;
import wgangp.model.fused.FusedGeneratorPass;
import wgangp.model.kernels.DeviceKernels;
import wgangp.model.kernels.HostKernels;
import wgangp.model.kernels.HostMemory;
import wgangp.model.kernels.Kernels;
import wgangp.model.layers.LayerCriticObjective;
import wgangp.model.layers.LayerGeneratorPass;
import wgangp.model.layers.LayerNetwork;

/**
 * Which implementation computes a network's passes: the one place where that is chosen.
 * <ul>
 *   <li>{@link #HOST}: {@link HostKernels}, loops over the arrays' host buffers between sgemm calls
 *       straight into oneDNN; for networks of an MLP's shape, the fused passes
 *       ({@link FusedCriticObjective}, {@link FusedGeneratorPass}), 1.5× faster at the reference
 *       model's sizes than the layer passes on the same kernels. The fastest on ND4J's CPU backend,
 *       and only valid there: on a device backend those buffers are stale host copies, so it refuses
 *       to start.</li>
 *   <li>{@link #DEVICE}: {@link DeviceKernels}, ND4J ops only (gemm, convolutions, broadcast,
 *       transforms, reductions, ND4J's Adam op), so it runs on whatever backend ND4J loaded; on CUDA
 *       every array stays in GPU memory. On the CPU backend it is correct but slower: each op call
 *       has a fixed cost that the host loops avoid.</li>
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

    /**
     * Whether this engine computes on the arrays' host memory (HOST, once resolved). Refuses when
     * this JVM's backend is not the CPU one, where host memory is a stale copy.
     */
    public boolean onHost() {
        if (resolve() != HOST) {
            return false;
        }
        HostMemory.requireCpuBackend();
        return true;
    }

    /** Whether this JVM's ND4J backend is the CPU one (nd4j-native). */
    public static boolean cpuBackend() {
        return HostMemory.cpuBackend();
    }

    /** HOST or DEVICE: what this engine means on this JVM's ND4J backend. */
    public Engine resolve() {
        if (this != AUTO) {
            return this;
        }
        return HostMemory.cpuBackend() ? HOST : DEVICE;
    }

    /**
     * This engine's kernels for one replica, BatchNorm's statistics taken across
     * {@code batchNormGroup} (synchronised BatchNorm, host kernels only).
     */
    public Kernels kernels(ReplicaGroup batchNormGroup) {
        if (onHost()) {
            return new HostKernels(batchNormGroup);
        }
        if (batchNormGroup.size() > 1) {
            throw new IllegalArgumentException("BatchNorm synchronised across replicas runs on the host engine only;"
                    + " set generator.batchNormSync=false to train on engine=" + resolve());
        }
        return new DeviceKernels();
    }

    /** The critic's objectives for batches of {@code batch} rows, over its flat parameters {@code params}. */
    public CriticObjective criticObjective(LayerNetwork critic, INDArray params, int batch, double lambdaGp) {
        return onHost() && FusedCriticObjective.fits(critic)
                ? new FusedCriticObjective(critic, params, batch, lambdaGp)
                : new LayerCriticObjective(critic, kernels(ReplicaGroup.SINGLE), params, batch, lambdaGp);
    }

    /**
     * The generator's training-mode passes for {@code groups} batches of {@code batch} rows, over its
     * flat parameters and running statistics, BatchNorm's statistics taken across {@code batchNormGroup}.
     */
    public GeneratorPass generatorPass(LayerNetwork generator, INDArray params, INDArray statistics, int batch,
                                       int groups, ReplicaGroup batchNormGroup) {
        return onHost() && FusedGeneratorPass.fits(generator)
                ? new FusedGeneratorPass(generator, params, statistics, batch, groups, batchNormGroup)
                : new LayerGeneratorPass(generator, kernels(batchNormGroup), params, statistics, batch, groups);
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
