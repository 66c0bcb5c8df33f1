package wgangp.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads back the run data a page embeds, as the page's script does. */
public final class EmbeddedRunData {
    private static final String OPEN = "<script type=\"application/json\" id=\"run-data\">";

    private EmbeddedRunData() {
    }

    public static JsonNode of(String html) {
        int start = html.indexOf(OPEN);
        assertTrue(start >= 0, "the page embeds no #run-data");
        start += OPEN.length();
        int end = html.indexOf("</script>", start);
        assertTrue(end > start, "#run-data is not closed");
        return Json.parse(html.substring(start, end), "#run-data");
    }
}
