package wgangp.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgangp.data.InvalidDataException;

/**
 * A gradient fixture as the PyTorch reference's {@code grads} command writes it: weights, inputs,
 * losses and autograd's gradients, tensors in PyTorch layout (Linear weight [out, in]). Tensors are
 * read as double so that comparisons see the fixture's float32 values unrounded.
 *
 * @param arch {@code mlp} (a fixture without the key) or {@code dcgan}
 * @param dim  dcgan's base channel count; 0 for the MLP, whose shape is in the hidden widths
 *             (which are empty for dcgan)
 */
public record ReferenceFixture(String arch, int dim, int latentDim, int batch, double lambdaGp, double leakySlope,
                               List<Integer> generatorHidden, List<Integer> criticHidden,
                               Map<String, INDArray> criticParams, Map<String, INDArray> generatorParams,
                               INDArray real, INDArray z, INDArray epsilon, INDArray fake,
                               double criticLoss, double wassersteinTerm, double gradientPenalty,
                               Map<String, INDArray> criticGrads, double generatorLoss,
                               Map<String, INDArray> generatorGrads) {

    /** Reads a fixture (JSON, optionally gzipped) from any Hadoop FileSystem path. */
    public static ReferenceFixture read(String uri, Configuration conf) {
        Path path = new Path(uri);
        JsonNode root;
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path)) {
                throw new InvalidDataException("gradient fixture " + uri + " does not exist.");
            }
            try (InputStream raw = fs.open(path);
                 InputStream in = uri.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
                root = new ObjectMapper().readTree(in);
            }
        } catch (IOException e) {
            throw new InvalidDataException("gradient fixture " + uri + " is not readable JSON: " + e.getMessage(), e);
        }
        try {
            String arch = root.path("arch").asText("mlp");
            boolean mlp = arch.equals("mlp");
            if (!mlp && !arch.equals("dcgan")) {
                throw new IllegalArgumentException("unknown arch '" + arch + "', expected mlp or dcgan");
            }
            return new ReferenceFixture(arch, mlp ? 0 : field(root, "dim").asInt(),
                    field(root, "latent_dim").asInt(), field(root, "batch").asInt(),
                    field(root, "lambda_gp").asDouble(), field(root, "leaky_slope").asDouble(),
                    mlp ? ints(field(root, "generator_hidden")) : List.of(),
                    mlp ? ints(field(root, "critic_hidden")) : List.of(),
                    tensors(field(root, "critic_params")), tensors(field(root, "generator_params")),
                    tensor(field(root, "real")), tensor(field(root, "z")),
                    tensor(field(root, "epsilon")).reshape(-1, 1), tensor(field(root, "fake")),
                    field(root, "critic_loss").asDouble(), field(root, "wasserstein_term").asDouble(),
                    field(root, "gradient_penalty").asDouble(), tensors(field(root, "critic_grads")),
                    field(root, "generator_loss").asDouble(), tensors(field(root, "generator_grads")));
        } catch (IllegalArgumentException e) {
            throw new InvalidDataException("gradient fixture " + uri + " is malformed: " + e.getMessage(), e);
        }
    }

    private static JsonNode field(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return node;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static Map<String, INDArray> tensors(JsonNode object) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), tensor(e.getValue()));
        }
        return out;
    }

    /** A nested JSON list of numbers as a double tensor of the same shape. */
    static INDArray tensor(JsonNode node) {
        List<Long> shape = new ArrayList<>();
        JsonNode probe = node;
        while (probe.isArray()) {
            shape.add((long) probe.size());
            if (probe.size() == 0) {
                break;
            }
            probe = probe.get(0);
        }
        List<Double> values = new ArrayList<>();
        flatten(node, shape, 0, values);
        double[] flat = values.stream().mapToDouble(Double::doubleValue).toArray();
        long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
        return dims.length == 0 ? Nd4j.scalar(node.asDouble()) : Nd4j.create(flat, dims, 'c').castTo(DataType.DOUBLE);
    }

    private static void flatten(JsonNode node, List<Long> shape, int depth, List<Double> out) {
        if (depth == shape.size()) {
            if (!node.isNumber()) {
                throw new IllegalArgumentException("expected a number, found " + node.getNodeType());
            }
            out.add(node.asDouble());
            return;
        }
        if (!node.isArray() || node.size() != shape.get(depth)) {
            throw new IllegalArgumentException("ragged tensor: expected " + shape.get(depth) + " entries at depth " + depth);
        }
        for (JsonNode child : node) {
            flatten(child, shape, depth + 1, out);
        }
    }
}
