package wgangp.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/** The numpy/scipy oracle written by scripts/fid-fixture.py. */
final class FidFixture {
    private final JsonNode root;

    private FidFixture(JsonNode root) {
        this.root = root;
    }

    static FidFixture load() {
        try (InputStream in = new GZIPInputStream(FidFixture.class.getResourceAsStream("/fid-fixture.json.gz"))) {
            return new FidFixture(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Feature rows of a matrix; "c_shift" is c plus the fixture's shift, added in double as numpy did. */
    double[][] features(String name) {
        boolean shifted = name.equals("c_shift");
        JsonNode rows = root.path("features").path(shifted ? "c" : name);
        double shift = shifted ? root.path("c_shift").asDouble() : 0;
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[rows.get(i).size()];
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = rows.get(i).get(j).asDouble() + shift;
            }
        }
        return x;
    }

    FeatureStatistics statistics(String name) {
        JsonNode s = root.path("stats").path(name);
        JsonNode cov = s.path("covariance");
        int d = cov.size();
        double[] mean = new double[d];
        double[] covariance = new double[d * d];
        for (int i = 0; i < d; i++) {
            mean[i] = s.path("mean").get(i).asDouble();
            for (int j = 0; j < d; j++) {
                covariance[i * d + j] = cov.get(i).get(j).asDouble();
            }
        }
        return new FeatureStatistics(s.path("count").asLong(), mean, covariance);
    }

    double fid(String first, String second) {
        JsonNode v = root.path("fid").path(first + "|" + second);
        if (!v.isNumber()) {
            throw new IllegalArgumentException("no FID " + first + "|" + second + " in the fixture");
        }
        return v.asDouble();
    }

    int covarianceRank(String name) {
        return root.path("covariance_rank").path(name).asInt();
    }
}
