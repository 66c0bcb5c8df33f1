package wgangp.train;

import java.io.Serializable;
import wgangp.model.Engine;
import wgangp.model.kernels.OneDnn;

/**
 * The native kernels every JVM of a run computes with: oneDNN's instruction set for the host engine's
 * convolutions and products ({@code dnnl.isa}, {@link OneDnn}) and OpenBLAS's kernel for ND4J's own
 * ops, which the device engine computes with ({@code blas.coreType}, {@link BlasKernel}). Both libraries generate or pick code per CPU, and code for
 * different CPUs sums in different orders; "the same seed gives the same bytes" and "a retried
 * task recomputes the same bytes" hold only when every JVM computes with the same. Each JVM pins
 * them before the libraries' first use ({@link #pin}) and checks what it got ({@link #require}).
 */
public record NativeKernels(String blasCoreType, OneDnn.Isa oneDnnIsa) implements Serializable {

    /** Asks this JVM's libraries for the run's kernels; effective only before each one's first use. */
    public void pin() {
        BlasKernel.pin(blasCoreType);
        if (Engine.cpuBackend()) {
            OneDnn.pin(oneDnnIsa);
        }
    }

    /**
     * Pins, then fails with {@link BlasKernel.KernelMismatchException} when this JVM computes with
     * other kernels than the run's. Does nothing on a device backend, whose arithmetic uses neither.
     *
     * @param jvm what this JVM is, for the message ("the driver", "executor 3 on host h")
     */
    public void require(String jvm) {
        pin();
        BlasKernel.require(blasCoreType, jvm);
        if (Engine.cpuBackend() && OneDnn.inUse() != oneDnnIsa) {
            throw new BlasKernel.KernelMismatchException(jvm + " computes with oneDNN at "
                    + OneDnn.inUse().key() + " but the run uses dnnl.isa=" + oneDnnIsa.key()
                    + "; results would differ in the last bits. Set dnnl.isa to an instruction set every node has ("
                    + OneDnn.Isa.names() + ")");
        }
    }
}
