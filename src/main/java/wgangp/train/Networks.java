package wgangp.train;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.Architecture;
import wgangp.model.CriticObjective;
import wgangp.model.Engine;
import wgangp.model.GeneratorPass;
import wgangp.model.ReplicaGroup;
import wgangp.model.layers.Layer;
import wgangp.model.layers.LayerNetwork;

/**
 * One replica's generator and critic over the flat vectors of a {@link TrainingState}: the
 * config's {@link Architecture} names the two {@link LayerNetwork}s, the config's {@link Engine}
 * computes them.
 */
final class Networks {
    private final Engine engine;
    private final LayerNetwork generator;
    private final LayerNetwork critic;
    private final INDArray generatorParams;
    private final INDArray generatorStatistics;
    private final INDArray criticParams;
    private final ReplicaGroup batchNorm;

    /**
     * The networks over these flat vectors (not copied: updates go through), the generator's
     * BatchNorm normalizing each batch across {@code batchNorm}'s replicas.
     */
    Networks(WganGpConfig config, Engine engine, INDArray generatorParams, INDArray generatorStatistics,
             INDArray criticParams, ReplicaGroup batchNorm) {
        this.engine = engine;
        this.generator = generator(config);
        this.critic = critic(config);
        this.generatorParams = generatorParams;
        this.generatorStatistics = generatorStatistics;
        this.criticParams = criticParams;
        this.batchNorm = batchNorm;
        // a state of another architecture or size fails here with the sizes named
        generator.bind(generatorParams, generatorStatistics);
        critic.bind(criticParams, null);
    }

    /** The config's generator network. */
    static LayerNetwork generator(WganGpConfig config) {
        return config.architecture() == Architecture.MLP ? config.generator().network() : config.dcgan().generator();
    }

    /** The config's critic network. */
    static LayerNetwork critic(WganGpConfig config) {
        return config.architecture() == Architecture.MLP ? config.critic().network() : config.dcgan().critic();
    }

    CriticObjective criticObjective(int batch, double lambdaGp) {
        return engine.criticObjective(critic, criticParams, batch, lambdaGp);
    }

    GeneratorPass generatorPass(int batch, int groups) {
        return engine.generatorPass(generator, generatorParams, generatorStatistics, batch, groups, batchNorm);
    }

    /** The generator's images for latent rows {@code z}: the same network in inference mode, BatchNorm on its running statistics. */
    INDArray sample(INDArray z) {
        INDArray[] activations = generator.forward(z.castTo(generatorParams.dataType()),
                generator.bind(generatorParams, generatorStatistics), Layer.Mode.INFERENCE,
                engine.kernels(ReplicaGroup.SINGLE));
        return activations[activations.length - 1];
    }

    /**
     * A fresh state: PyTorch-default initial weights drawn from {@code seed}, generator first, tensor
     * by tensor in state_dict order, zero Adam state.
     */
    static TrainingState initialState(WganGpConfig config, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LayerNetwork generator = generator(config);
        LayerNetwork critic = critic(config);
        INDArray g = Nd4j.create(DataType.FLOAT, generator.parameterLength());
        INDArray s = Nd4j.create(DataType.FLOAT, generator.statisticsLength());
        INDArray c = Nd4j.create(DataType.FLOAT, critic.parameterLength());
        generator.initialise(g, s, rng);
        critic.initialise(c, null, rng);
        float[] gp = g.toFloatVector();
        float[] stats = s.toFloatVector();
        float[] cp = c.toFloatVector();
        return TrainingState.of(Map.of(
                TrainingState.Array.GENERATOR_PARAMS, gp,
                TrainingState.Array.GENERATOR_BATCH_NORM_STATS, stats,
                TrainingState.Array.GENERATOR_ADAM, new float[2 * gp.length],
                TrainingState.Array.CRITIC_PARAMS, cp,
                TrainingState.Array.CRITIC_ADAM, new float[2 * cp.length]), 0, 0);
    }
}
