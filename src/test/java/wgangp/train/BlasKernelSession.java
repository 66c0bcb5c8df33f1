package wgangp.train;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives the test JVM the kernel a run's driver would pin ({@link BlasKernel#fromEnvironment}),
 * before any test loads ND4J: tests compare in-process computations with runs whose drivers and
 * executors pin that kernel, byte for byte. Registered in
 * META-INF/services/org.junit.platform.launcher.LauncherSessionListener.
 */
public final class BlasKernelSession implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        BlasKernel.pin(BlasKernel.fromEnvironment());
    }
}
