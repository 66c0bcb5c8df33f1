package wgangp.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** The git commit the job was built from, for provenance. */
final class BuildInfo {
    static final String RESOURCE = "/wgangp/build.properties";
    private static volatile String sha;

    private BuildInfo() {
    }

    /**
     * From {@code wgangp/build.properties} (written at build time), else from {@code git rev-parse
     * HEAD} in the working directory, else "unknown".
     */
    static String gitSha() {
        String s = sha;
        if (s == null) {
            s = fromResource();
            if (s == null) {
                s = fromGit();
            }
            sha = s == null ? "unknown" : s;
            s = sha;
        }
        return s;
    }

    private static String fromResource() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("git.sha", "").trim();
            return v.matches("[0-9a-f]{7,40}(-dirty)?") ? v : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String fromGit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
