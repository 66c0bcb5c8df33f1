package wgangp.job;

import java.util.LinkedHashMap;
import java.util.Map;
import wgangp.train.WganGpConfig;

/**
 * Configurations built the way a run builds them, through the key table: its defaults, with the
 * few keys a test sets.
 */
public final class DefaultConfigs {
    private DefaultConfigs() {
    }

    /** The table's defaults with {@code keyValues} (key, value, key, value, ...) over them. */
    public static JobConfig job(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put(keyValues[i], keyValues[i + 1]);
        }
        return JobConfig.fromMap(JobConfig.defaults(), overrides, "test");
    }

    /**
     * The step's config for images of {@code imageSize} pixels: the table's networks and Adam
     * settings, on one worker (so that {@code lr} is not scaled), with {@code keyValues} over them.
     */
    public static WganGpConfig model(int imageSize, String... keyValues) {
        String[] oneWorker = new String[keyValues.length + 2];
        oneWorker[0] = JobConfig.WORKERS.name();
        oneWorker[1] = "1";
        System.arraycopy(keyValues, 0, oneWorker, 2, keyValues.length);
        return job(oneWorker).model(imageSize);
    }
}
