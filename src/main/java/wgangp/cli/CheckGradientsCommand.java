package wgangp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import wgangp.io.ReferenceFixture;
import wgangp.model.Engine;

/** {@code check-gradients}: does this engine compute PyTorch's numbers for the fixture's model? */
@Command(name = "check-gradients", mixinStandardHelpOptions = true,
        description = "Compare critic and generator gradients with a PyTorch reference fixture; "
                + "prints one JSON line, exits 0 only within tolerance.")
final class CheckGradientsCommand implements Callable<Integer> {

    @Option(names = "--fixture", required = true, description = "fixture JSON (.gz allowed) on any Hadoop FS")
    String fixture;

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "max relative error (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Mixin
    EngineOption engine;

    @Override
    public Integer call() throws Exception {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("--tolerance must be > 0, got " + tolerance);
        }
        Engine chosen = engine.resolve();
        GradientCheck.Result r = GradientCheck.run(ReferenceFixture.read(fixture, new Configuration()), chosen);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("fixture", fixture);
        line.put("engine", chosen.toString());
        line.put("critic_loss", r.criticLoss());
        line.put("critic_loss_reference", r.referenceCriticLoss());
        line.put("wasserstein_term", r.wassersteinTerm());
        line.put("gradient_penalty", r.gradientPenalty());
        line.put("generator_loss", r.generatorLoss());
        line.put("generator_loss_reference", r.referenceGeneratorLoss());
        line.put("loss_max_rel_error", r.lossError());
        Map<String, Double> tensors = new LinkedHashMap<>(r.criticErrors());
        tensors.putAll(r.generatorErrors());
        line.put("max_rel_error", tensors);
        line.put("overall_max_rel_error", r.maxError());
        line.put("tolerance", tolerance);
        boolean ok = r.maxError() <= tolerance;
        line.put("ok", ok);
        System.out.println(new ObjectMapper().writeValueAsString(line));
        return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
