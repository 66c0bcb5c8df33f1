package wgangp.train;

/** A JVM for {@link BlasKernelTest}: pins the kernel given, then prints the one OpenBLAS runs. */
public final class BlasKernelProbe {
    private BlasKernelProbe() {
    }

    public static void main(String[] args) {
        BlasKernel.pin(args[0]);
        try {
            BlasKernel.require(args[0], "the probe");
            System.out.println(BlasKernel.inUse().orElseThrow());
        } catch (BlasKernel.KernelMismatchException e) {
            System.out.println("mismatch: " + e.getMessage());
        }
    }
}
