package wgangp.job;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.distributed.TrainingLoop;
import wgangp.io.Checkpoints;
import wgangp.model.Engine;
import wgangp.model.kernels.OneDnn;
import wgangp.train.BlasKernel;

/**
 * Where a run came from: build, data, seed, Spark application, backend; written beside its config
 * and into each checkpoint.
 */
final class Provenance {
    private Provenance() {
    }

    static Map<String, Object> of(JobConfig config, TrainingLoop.Plan plan, TrainingData data, JavaSparkContext sc,
                                  Checkpoints.Checkpoint resumedFrom) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("git_sha", BuildInfo.gitSha());
        p.put("data", data.location().images());
        p.put("images", data.images().count());
        p.put("image_rows", data.images().rows());
        p.put("image_cols", data.images().cols());
        p.put("seed", config.seed());
        p.put("workers", config.workers());
        // What lr.workerScaling and lr.maxWorkerScale made of lr for this many workers.
        p.put("replica_learning_rate", plan.config().learningRate());
        p.put("spark_application_id", sc.sc().applicationId());
        p.put("spark_master", sc.master());
        p.put("spark_version", sc.version());
        p.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        // The kernel the driver computes with; every task checks that its JVM has the same one.
        p.put("blas_core_type", BlasKernel.inUse().orElse(null));
        p.put("blas_l2_size", System.getenv(BlasKernel.L2_SIZE_ENV));
        p.put("dnnl_isa", Engine.cpuBackend() ? OneDnn.inUse().key() : null);
        p.put("resumed_from", resumedFrom == null ? null : resumedFrom.name());
        p.put("started_at", Instant.now().toString());
        return p;
    }
}
