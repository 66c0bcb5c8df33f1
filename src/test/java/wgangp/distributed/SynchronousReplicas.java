package wgangp.distributed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import wgangp.data.Shard;
import wgangp.model.ReplicaGroup;
import wgangp.train.LocalTrainer;
import wgangp.train.NativeThreads;
import wgangp.train.TrainingState;
import wgangp.train.WganGpConfig;

/**
 * A synchronous segment without Spark, as the tests' oracle: one thread per shard, each joined to
 * XGBoost's collective through a tracker of its own and training by {@link LocalTrainer#runRound}
 * exactly as a barrier task does; the state after it is rank 0's.
 */
public final class SynchronousReplicas {
    private SynchronousReplicas() {
    }

    public static TrainingState segment(WganGpConfig model, TrainingState start, List<Shard> shards, long seed,
                                        int steps, boolean batchNormSync) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(shards.size());
        try (CollectiveTracker tracker = CollectiveTracker.start("127.0.0.1", shards.size(), Duration.ofMinutes(2))) {
            String args = tracker.workerArgs();
            List<Future<TrainingState>> ends = new ArrayList<>();
            for (Shard shard : shards) {
                ends.add(threads.submit(() -> {
                    NativeThreads.set(1);
                    try (CollectiveGroup group = CollectiveGroup.join(args, shard.index(), shards.size())) {
                        return LocalTrainer.runRound(model, start, shard.matrix(), seed, start.generatorSteps(),
                                shard.index(), steps, group, batchNormSync ? group : ReplicaGroup.SINGLE).state();
                    }
                }));
            }
            List<TrainingState> states = new ArrayList<>();
            for (Future<TrainingState> end : ends) {
                states.add(end.get());
            }
            return states.get(0);
        } finally {
            threads.shutdownNow();
        }
    }
}
