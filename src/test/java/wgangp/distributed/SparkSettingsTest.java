package wgangp.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

class SparkSettingsTest {

    @Test
    void executorsAndTheApplicationMasterGetTheRunsKernel() {
        SparkConf conf = SparkSettings.pinBlasKernel(new SparkConf(false), "Haswell", Map.of("HOME", "/root"));
        assertEquals("Haswell", conf.get("spark.executorEnv.OPENBLAS_CORETYPE"));
        assertEquals("Haswell", conf.get("spark.yarn.appMasterEnv.OPENBLAS_CORETYPE"));
        assertFalse(conf.contains("spark.executorEnv.OPENBLAS_L2_SIZE"));
        // What SparkContext hands to executor launches.
        Map<String, String> executorEnv = new HashMap<>();
        JavaConverters.seqAsJavaList(conf.getExecutorEnv()).forEach(e -> executorEnv.put(e._1(), e._2()));
        assertEquals(Map.of("OPENBLAS_CORETYPE", "Haswell"), executorEnv);
    }

    @Test
    void theDriversL2SizeTravelsAndTheRunsKernelReplacesAnother() {
        SparkConf given = new SparkConf(false).set("spark.executorEnv.OPENBLAS_CORETYPE", "Zen")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1");
        SparkConf conf = SparkSettings.pinBlasKernel(given, "SkylakeX", Map.of("OPENBLAS_L2_SIZE", "512"));
        assertEquals("SkylakeX", conf.get("spark.executorEnv.OPENBLAS_CORETYPE"));
        assertEquals("512", conf.get("spark.executorEnv.OPENBLAS_L2_SIZE"));
        assertEquals("512", conf.get("spark.yarn.appMasterEnv.OPENBLAS_L2_SIZE"));
        assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
    }
}
