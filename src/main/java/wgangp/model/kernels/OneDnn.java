package wgangp.model.kernels;

import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;

/**
 * This JVM's oneDNN, the library {@link HostKernels}' convolutions and dense products run in: which
 * instruction set it computes with, and how many threads.
 *
 * <p>oneDNN is one library for every x86-64 CPU: it generates its kernels at run time for the
 * best instruction set the CPU has. Kernels for different instruction sets sum in different
 * orders, so, like OpenBLAS's kernel ({@code wgangp.train.BlasKernel}), the instruction set is a
 * setting of the run ({@code dnnl.isa}): each JVM caps oneDNN at it ({@link #pin}) before the first
 * convolution, and each task checks that it got it ({@link #inUse}). Only the instruction sets that
 * change float32 convolutions are named: VNNI, bfloat16 and AMX add integer and bfloat16 kernels.
 */
public final class OneDnn {
    private static final String CPUINFO = "/proc/cpuinfo";

    /** The instruction sets whose float32 kernels differ, oldest first, as oneDNN names them. */
    public enum Isa {
        SSE41(dnnl.dnnl_cpu_isa_sse41, "sse4_1"),
        AVX(dnnl.dnnl_cpu_isa_avx, "avx"),
        AVX2(dnnl.dnnl_cpu_isa_avx2, "avx2", "fma"),
        AVX512_CORE(dnnl.dnnl_cpu_isa_avx512_core, "avx512f", "avx512bw", "avx512vl", "avx512dq");

        private final int mask;
        private final List<String> cpuFlags;

        Isa(int mask, String... cpuFlags) {
            this.mask = mask;
            this.cpuFlags = List.of(cpuFlags);
        }

        /** The name {@code dnnl.isa} takes: oneDNN's, in lower case. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** As {@link #key}: how the run's configuration writes it. */
        @Override
        public String toString() {
            return key();
        }

        /** The instruction set called {@code name} (as {@link #key}, any case). */
        public static Isa parse(String name) {
            for (Isa isa : values()) {
                if (isa.key().equalsIgnoreCase(name.trim())) {
                    return isa;
                }
            }
            throw new IllegalArgumentException("unknown instruction set '" + name + "', expected one of " + names());
        }

        /** Every name {@link #parse} takes. */
        public static String names() {
            return Arrays.stream(values()).map(Isa::key).collect(Collectors.joining(", "));
        }
    }

    private OneDnn() {
    }

    /**
     * The best instruction set this machine's CPU has, read from the kernel's CPU flags: what a run
     * uses unless told otherwise, decided once on the driver.
     */
    public static Isa best() {
        Set<String> flags;
        try {
            flags = Files.readAllLines(Path.of(CPUINFO)).stream()
                    .filter(line -> line.startsWith("flags"))
                    .findFirst()
                    .map(line -> Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))
                    .orElse(Set.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CPUINFO + " to choose dnnl.isa; set dnnl.isa", e);
        }
        Isa best = Isa.SSE41;
        for (Isa isa : Isa.values()) {
            if (flags.containsAll(isa.cpuFlags)) {
                best = isa;
            }
        }
        return best;
    }

    /**
     * Caps this JVM's oneDNN at {@code isa}. oneDNN takes the cap once, before its first kernel;
     * afterwards this changes nothing and {@link #inUse} tells what the JVM computes with.
     */
    public static void pin(Isa isa) {
        dnnl.dnnl_set_max_cpu_isa(isa.mask);
    }

    /**
     * The instruction set this JVM's oneDNN computes with: the cap if the CPU has it, else the
     * CPU's best below it. Fixes the cap from then on.
     */
    public static Isa inUse() {
        int effective = dnnl.dnnl_get_effective_cpu_isa();
        Isa found = Isa.SSE41;
        for (Isa isa : Isa.values()) {
            if ((effective & isa.mask) == isa.mask) {
                found = isa;
            }
        }
        return found;
    }

    /**
     * Runs oneDNN's kernels on up to {@code threads} threads when called from this thread. oneDNN
     * here runs on OpenMP, whose thread count is a setting of the calling thread; it busy-waits
     * like ND4J's, so more threads than the task's cores slow it down. The OpenMP runtime is the
     * one oneDNN's library is linked against (ND4J's, when ND4J loaded first): asked through it.
     */
    public static void threads(int threads) {
        Loader.load(dnnl.class);
        String path = Loader.getLoadedLibraries().get("dnnl@.2");
        if (path == null) {
            throw new IllegalStateException("oneDNN's library is not loaded; loaded: " + Loader.getLoadedLibraries().keySet());
        }
        NativeLibrary.getInstance(path).getFunction("omp_set_num_threads").invokeVoid(new Object[] {threads});
    }
}
