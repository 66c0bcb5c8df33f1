package wgangp.train;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.model.Architecture;
import wgangp.model.Critic;
import wgangp.model.CriticObjective;
import wgangp.model.Engine;
import wgangp.model.Generator;
import wgangp.model.GeneratorPass;
import wgangp.model.ReplicaGroup;
import wgangp.model.layers.Layer;
import wgangp.model.layers.LayerCriticObjective;
import wgangp.model.layers.LayerGeneratorPass;
import wgangp.model.layers.LayerNetwork;

/**
 * One replica's generator and critic over the flat vectors of a {@link TrainingState}, and the
 * passes that train them, for the config's {@link Architecture}: the MLP on its engine's own
 * classes, dcgan on the layer-based ones with the engine's convolution kernels.
 */
final class Networks {
    private final WganGpConfig config;
    private final Engine engine;
    private final INDArray generatorParams;
    private final INDArray generatorStatistics;
    private final INDArray criticParams;
    private final Generator mlpGenerator;
    private final Critic mlpCritic;
    private final ReplicaGroup batchNorm;

    /** The networks over these flat vectors (not copied: updates go through). */
    Networks(WganGpConfig config, Engine engine, INDArray generatorParams, INDArray generatorStatistics,
             INDArray criticParams) {
        this(config, engine, generatorParams, generatorStatistics, criticParams, ReplicaGroup.SINGLE);
    }

    /** As above, the generator's BatchNorm normalizing each batch across {@code batchNorm}'s replicas. */
    Networks(WganGpConfig config, Engine engine, INDArray generatorParams, INDArray generatorStatistics,
             INDArray criticParams, ReplicaGroup batchNorm) {
        this.config = config;
        this.batchNorm = batchNorm;
        this.engine = engine;
        this.generatorParams = generatorParams;
        this.generatorStatistics = generatorStatistics;
        this.criticParams = criticParams;
        boolean mlp = config.architecture() == Architecture.MLP;
        mlpGenerator = mlp ? Generator.wrap(config.generator(), generatorParams, generatorStatistics) : null;
        mlpCritic = mlp ? Critic.wrap(config.critic(), criticParams) : null;
        if (!mlp) {
            // a state of another architecture or size fails here with the sizes named
            generatorNetwork(config, engine, batchNorm).bind(generatorParams, generatorStatistics);
            criticNetwork(config, engine).bind(criticParams, null);
        }
    }

    /** The config's generator as a layer network on {@code engine}'s kernels, for either architecture. */
    private static LayerNetwork generatorNetwork(WganGpConfig config, Engine engine) {
        return generatorNetwork(config, engine, ReplicaGroup.SINGLE);
    }

    /** As above, BatchNorm normalizing each batch across {@code batchNorm}'s replicas. */
    private static LayerNetwork generatorNetwork(WganGpConfig config, Engine engine, ReplicaGroup batchNorm) {
        return config.architecture() == Architecture.MLP ? config.generator().network(engine, batchNorm)
                : config.dcgan().generator(engine, batchNorm);
    }

    /** The config's critic as a layer network on {@code engine}'s kernels, for either architecture. */
    private static LayerNetwork criticNetwork(WganGpConfig config, Engine engine) {
        return config.architecture() == Architecture.MLP ? config.critic().network(engine)
                : config.dcgan().critic(engine);
    }

    CriticObjective criticObjective(int batch) {
        return mlpCritic != null ? engine.criticObjective(mlpCritic, batch, config.lambdaGp())
                : new LayerCriticObjective(criticNetwork(config, engine), criticParams, batch, config.lambdaGp());
    }

    GeneratorPass generatorPass(int batch, int groups) {
        return mlpGenerator != null ? engine.generatorPass(mlpGenerator, batch, groups, batchNorm)
                : new LayerGeneratorPass(generatorNetwork(config, engine, batchNorm), generatorParams,
                        generatorStatistics, batch, groups);
    }

    /** The generator's images for latent rows {@code z}, BatchNorm on its running statistics. */
    INDArray sample(INDArray z) {
        if (mlpGenerator != null) {
            return mlpGenerator.sample(z);
        }
        LayerNetwork generator = generatorNetwork(config, engine);
        INDArray[] activations = generator.forward(z.castTo(generatorParams.dataType()),
                generator.bind(generatorParams, generatorStatistics), Layer.Mode.INFERENCE);
        return activations[activations.length - 1];
    }

    /**
     * A fresh state: PyTorch-default initial weights drawn from {@code seed}, generator first, tensor
     * by tensor in state_dict order (for the MLP the same draws as {@code Generator.initialise} and
     * {@code Critic.initialise}), zero Adam state.
     */
    static TrainingState initialState(WganGpConfig config, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LayerNetwork generator = generatorNetwork(config, Engine.DEVICE);
        LayerNetwork critic = criticNetwork(config, Engine.DEVICE);
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
