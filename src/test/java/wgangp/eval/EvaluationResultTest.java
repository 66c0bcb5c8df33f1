package wgangp.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import wgangp.io.Json;

/** The JSON an evaluation writes has exactly the documented fields, in order, with nulls for a file of samples. */
class EvaluationResultTest {
    static final List<String> FIELDS = List.of("checkpoint", "generator_steps", "critic_iters", "samples", "held_out",
            "fid", "fid_floor", "class_histogram", "modes_covered", "mean_confidence", "classifier_accuracy", "seed");

    @Test
    void checkpointResult() {
        int[] histogram = {100, 103, 88, 114, 88, 103, 95, 131, 79, 99};
        JsonNode json = Json.parse(Json.pretty(new EvaluationResult("step-0004000", 4000L, 20000L, 1000, 1000, 12.3,
                1.2, histogram, 10, 0.93, 0.985, 1).toJson()), "result");
        assertEquals(FIELDS, names(json));
        assertEquals("step-0004000", json.get("checkpoint").asText());
        assertEquals(4000, json.get("generator_steps").asLong());
        assertEquals(20000, json.get("critic_iters").asLong());
        assertEquals(12.3, json.get("fid").asDouble());
        assertEquals(1.2, json.get("fid_floor").asDouble());
        assertEquals(10, json.get("class_histogram").size());
        assertEquals(131, json.get("class_histogram").get(7).asInt());
        assertEquals(0.985, json.get("classifier_accuracy").asDouble());
        assertEquals(1, json.get("seed").asLong());
    }

    @Test
    void samplesResultHasNullCheckpointFields() {
        JsonNode json = Json.parse(Json.line(new EvaluationResult(null, null, null, 500, 1000, 3.5, 1.5, new int[10],
                0, 0.5, 0.98, 7).toJson()), "result");
        assertEquals(FIELDS, names(json));
        for (String field : List.of("checkpoint", "generator_steps", "critic_iters")) {
            assertTrue(json.get(field).isNull(), field);
        }
        assertEquals(500, json.get("samples").asInt());
    }

    private static List<String> names(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
