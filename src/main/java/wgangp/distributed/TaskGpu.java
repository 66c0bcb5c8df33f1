package wgangp.distributed;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import wgangp.model.Engine;

/**
 * Binds a Spark task's thread to the GPU Spark assigned to the task ({@code spark.task.resource.gpu.amount},
 * addresses from the executor's discovery script), so that every array the replica creates lives on
 * that device. Without a "gpu" resource nothing happens: the CPU path and ND4J's own device choice
 * stay as they were.
 */
final class TaskGpu {
    static final String RESOURCE = "gpu";
    private static final Logger LOG = LoggerFactory.getLogger(TaskGpu.class);

    private TaskGpu() {
    }

    /**
     * Binds the calling thread to the task's GPU when it has one and ND4J runs a device backend;
     * logs what the task trains on at debug level either way. Call before the task touches an array.
     */
    static void bind(TaskContext task) {
        ResourceInformation gpu = task == null ? null : task.resourcesJMap().get(RESOURCE);
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        if (gpu == null || Engine.cpuBackend()) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("partition {}: ND4J {}{}", task == null ? "-" : task.partitionId(), backend,
                        gpu == null ? "" : ", GPU " + Arrays.toString(gpu.addresses()) + " assigned but unused by a CPU build");
            }
            return;
        }
        AffinityManager affinity = Nd4j.getAffinityManager();
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        OptionalInt device = deviceOrdinal(gpu.addresses(), visible, affinity.getNumberOfDevices());
        if (device.isEmpty()) {
            LOG.debug("partition {}: ND4J {}, empty GPU assignment, device {}", task.partitionId(), backend,
                    affinity.getDeviceForCurrentThread());
            return;
        }
        int ordinal = device.getAsInt();
        if (affinity.getDeviceForCurrentThread() != ordinal) {
            // Spark reuses task threads; a context made on another device must not follow this one
            Nd4j.getMemoryManager().releaseCurrentContext();
            affinity.unsafeSetDevice(ordinal);
        }
        LOG.debug("partition {} (stage {}, attempt {}): ND4J {} on CUDA device {} of {}, Spark GPU address {}{}",
                task.partitionId(), task.stageId(), task.attemptNumber(), backend, ordinal,
                affinity.getNumberOfDevices(), gpu.addresses()[0],
                visible == null ? "" : ", CUDA_VISIBLE_DEVICES=" + visible);
    }

    /**
     * The CUDA device ordinal (as this JVM numbers its devices) for a task's GPU addresses; empty when
     * there are none. A task uses one GPU: the first address. Discovery scripts print nvidia-smi
     * indices, which ignore CUDA_VISIBLE_DEVICES while the CUDA runtime numbers only the visible
     * devices, so an address listed in CUDA_VISIBLE_DEVICES maps to its position there; any other
     * address must be a device index already.
     *
     * @param cudaVisibleDevices the executor's CUDA_VISIBLE_DEVICES, null when unset
     * @param deviceCount the number of CUDA devices this JVM sees
     * @throws IllegalStateException naming the address when it matches no visible device
     */
    static OptionalInt deviceOrdinal(String[] addresses, String cudaVisibleDevices, int deviceCount) {
        if (addresses == null || addresses.length == 0) {
            return OptionalInt.empty();
        }
        String address = addresses[0].trim();
        if (cudaVisibleDevices != null && !cudaVisibleDevices.isBlank()) {
            List<String> visible = Arrays.stream(cudaVisibleDevices.split(",")).map(String::trim).toList();
            int position = visible.indexOf(address);
            if (position >= 0) {
                return checked(position, address, cudaVisibleDevices, deviceCount);
            }
        }
        int index;
        try {
            index = Integer.parseInt(address);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Spark assigned GPU address '" + address + "', which is neither a device"
                    + " index nor listed in CUDA_VISIBLE_DEVICES=" + cudaVisibleDevices
                    + "; the GPU discovery script must print device indices");
        }
        return checked(index, address, cudaVisibleDevices, deviceCount);
    }

    private static OptionalInt checked(int ordinal, String address, String cudaVisibleDevices, int deviceCount) {
        if (ordinal < 0 || ordinal >= deviceCount) {
            throw new IllegalStateException("Spark assigned GPU address '" + address + "' (CUDA device " + ordinal
                    + "), but this executor sees " + deviceCount + " CUDA device(s)"
                    + (cudaVisibleDevices == null ? "" : " with CUDA_VISIBLE_DEVICES=" + cudaVisibleDevices));
        }
        return OptionalInt.of(ordinal);
    }
}
