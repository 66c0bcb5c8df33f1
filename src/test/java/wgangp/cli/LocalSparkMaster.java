package wgangp.cli;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class's in-process jobs on {@code local[2]} without the web UI: the job takes its
 * master from Spark's system properties, as spark-submit would hand it over.
 */
final class LocalSparkMaster implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty("spark.master", "local[2]");
        System.setProperty("spark.ui.enabled", "false");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty("spark.master");
        System.clearProperty("spark.ui.enabled");
    }
}
