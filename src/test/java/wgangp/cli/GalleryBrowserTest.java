package wgangp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import wgangp.io.EmbeddedRunData;

/**
 * A real run's index.html, opened from file:// in headless Chromium: the charts are drawn, the
 * images load, the evaluation results show, and a screenshot has the lines and the grid where the
 * page says it put them. Skipped only where Chromium is not installed (.ci/run installs it).
 */
@Tag("integration")
@ExtendWith(LocalSparkMaster.class)
class GalleryBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final String WINDOW = "--window-size=1280,2000";
    static final int CRITIC_LOSS_RGB = 0xc0392b;
    static final int WASSERSTEIN_RGB = 0x238b45;

    @TempDir
    Path tmp;

    @Test
    void theRunPageDrawsItsChartsImagesAndEvaluationInChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is not installed; .ci/run installs it");
        Path run = tmp.resolve("run");
        // 12 generator steps in synchronous segments of 4: grids at 4, 8 and 12.
        assertEquals(ExitCodes.OK, Main.run(TrainingRuns.args(run.toString(), "--workers", "2",
                "--segment-steps", "4", "--max-critic-iters", "60", "--sample-interval", "4",
                "--checkpoint-interval", "8")));
        JsonNode written = EmbeddedRunData.of(Files.readString(run.resolve("index.html")));
        assertEquals(3, written.get("grids").size(), "the driver's last page has every grid");
        assertEquals(3, written.at("/metrics/step").size());
        assertEquals("samples/progress.gif", written.get("gif").asText());
        assertTrue(written.at("/progress/finished").asBoolean());
        assertEquals(0, written.get("evaluations").size());

        // What evaluate would write; the gallery command puts it on the page.
        Files.createDirectories(run.resolve("eval"));
        Files.writeString(run.resolve("eval/step-0000008.json"), evaluation(8, 30.5));
        Files.writeString(run.resolve("eval/step-0000012.json"), evaluation(12, 12.3));
        assertEquals(ExitCodes.OK, Main.run("gallery", "--run", run.toString()));
        String html = Files.readString(run.resolve("index.html"));
        JsonNode data = EmbeddedRunData.of(html);
        assertEquals(2, data.get("evaluations").size());
        assertEquals(12, data.at("/progress/step").asLong());
        assertEquals(12, data.at("/progress/total_steps").asLong());
        assertSelfContained(html, "index.html");

        String url = run.resolve("index.html").toUri().toString();
        String dom = chromium("--dump-dom", url);
        assertSelfContained(dom, "the rendered DOM");
        Map<String, String> body = attributes(dom, "<body");
        assertEquals("true", body.get("data-rendered"), "the script ran to its end");
        assertFalse(body.containsKey("data-script-error"), body.get("data-script-error"));

        for (String key : List.of("critic_loss", "generator_loss", "wasserstein_estimate", "gradient_penalty")) {
            Map<String, String> chart = attributes(dom, "id=\"chart-" + key + "\"");
            assertEquals("3", chart.get("data-points"), key);
        }
        assertEquals("2", attributes(dom, "id=\"fid-chart\"").get("data-points"));
        Matcher canvas = Pattern.compile("<canvas width=\"(\\d+)\" height=\"(\\d+)\"").matcher(dom);
        int canvases = 0;
        while (canvas.find()) {
            assertTrue(Integer.parseInt(canvas.group(1)) > 200 && Integer.parseInt(canvas.group(2)) > 100,
                    canvas.group());
            canvases++;
        }
        assertEquals(6, canvases, "four loss charts, the noise scales of a synchronous run and the FID chart");

        Map<String, String> grid = attributes(dom, "id=\"grid-image\"");
        Map<String, String> gif = attributes(dom, "id=\"gif-image\"");
        assertEquals("samples/000_0000012.png", grid.get("src"), "the slider starts at the latest grid");
        assertEquals("true", grid.get("data-loaded"));
        assertEquals("samples/progress.gif", gif.get("src"));
        assertEquals("true", gif.get("data-loaded"));
        assertEquals(2, count(dom, "data-loaded=\"true\""));
        assertFalse(dom.contains("data-error"), "an image failed to load");
        assertTrue(text(dom, "grid-label").startsWith("step 12 · epoch 0 · samples/000_0000012.png (3 of 3)"),
                text(dom, "grid-label"));
        assertTrue(text(dom, "progress-text").startsWith("generator step 12 of 12 (100.0 %)"),
                text(dom, "progress-text"));
        assertTrue(dom.contains("Latest: step-0000012"));
        // The header names the model; a config without the model key is an MLP run's.
        assertTrue(text(dom, "config-summary").startsWith("MLP model · 2 workers × batch 16"),
                text(dom, "config-summary"));
        // ... the rate the replicas train with, and how the workers train together
        assertTrue(text(dom, "config-summary").contains("Adam lr 0.0004 (lr 0.0002 scaled for 2 workers)"),
                text(dom, "config-summary"));
        assertTrue(text(dom, "config-summary").contains("synchronous: gradients added every step, global batch 32,"
                + " BatchNorm over all workers"), text(dom, "config-summary"));
        assertTrue(dom.contains("id=\"chart-noise-scale\""), "the noise scales of a synchronous run are charted");
        String histogram = dom.substring(dom.indexOf("id=\"class-histogram\""));
        assertEquals(10, count(histogram.substring(0, histogram.indexOf("</table>")), "<tr>"));
        assertTrue(dom.contains(">12.30<"), "the latest FID in the table");

        Path png = tmp.resolve("page.png");
        chromium("--screenshot=" + png, url);
        BufferedImage shot = ImageIO.read(png.toFile());
        assertEquals(1280, shot.getWidth());
        assertEquals(2000, shot.getHeight());
        int[] critic = box(attributes(dom, "id=\"chart-critic_loss\"").get("data-box"));
        assertTrue(pixelsNear(shot, critic, CRITIC_LOSS_RGB) >= 30, "the critic loss line is drawn");
        assertTrue(distinctColours(shot, critic) >= 20, "the critic loss chart has axes, labels and a line");
        int[] wasserstein = box(attributes(dom, "id=\"chart-wasserstein_estimate\"").get("data-box"));
        assertTrue(pixelsNear(shot, wasserstein, WASSERSTEIN_RGB) >= 30, "the Wasserstein estimate line is drawn");

        // The grid on screen is the grid on disk, scaled: same mean brightness, many grey levels.
        int[] shown = inset(box(grid.get("data-box")), 3);
        BufferedImage file = ImageIO.read(run.resolve("samples/000_0000012.png").toFile());
        double onScreen = meanGrey(shot, shown);
        double onDisk = meanStoredGrey(file);
        assertEquals(onDisk, onScreen, 3.0, "mean grey of the grid on screen against the PNG");
        assertTrue(distinctColours(shot, shown) >= 32, "the grid shows generated images, not a blank box");
    }

    static String evaluation(long steps, double fid) {
        return "{\"checkpoint\": \"step-" + String.format("%07d", steps) + "\", \"generator_steps\": " + steps
                + ", \"critic_iters\": " + 5 * steps + ", \"samples\": 1000, \"held_out\": 1000, \"fid\": " + fid
                + ", \"fid_floor\": 1.2, \"class_histogram\": [95, 101, 99, 100, 98, 103, 97, 104, 100, 103],"
                + " \"modes_covered\": 10, \"mean_confidence\": 0.93, \"classifier_accuracy\": 0.985, \"seed\": 1}";
    }

    static void assertSelfContained(String page, String what) {
        Matcher m = Pattern.compile("https?://").matcher(page);
        if (m.find()) {
            int from = Math.max(0, m.start() - 80);
            fail(what + " refers to the network: …" + page.substring(from, Math.min(page.length(), m.end() + 80)));
        }
    }

    /** Runs headless Chromium on {@code url} with a fresh profile; returns what it printed. */
    String chromium(String action, String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        Path stdout = tmp.resolve(profile.getFileName() + ".out");
        Path stderr = tmp.resolve(profile.getFileName() + ".err");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000", WINDOW, action, url));
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium " + action + " did not finish in 120 s; stderr:\n" + Files.readString(stderr));
        }
        assertEquals(0, p.exitValue(), "chromium " + action + " failed; stderr:\n" + Files.readString(stderr));
        return Files.readString(stdout);
    }

    /** The attributes of the first start tag containing {@code marker}. */
    static Map<String, String> attributes(String dom, String marker) {
        int at = dom.indexOf(marker);
        assertTrue(at >= 0, "no element with " + marker + " in the rendered page");
        int start = dom.lastIndexOf('<', at);
        String tag = dom.substring(start, dom.indexOf('>', at));
        Map<String, String> attrs = new HashMap<>();
        Matcher m = Pattern.compile("([\\w-]+)=\"([^\"]*)\"").matcher(tag);
        while (m.find()) {
            attrs.put(m.group(1), m.group(2).replace("&amp;", "&"));
        }
        return attrs;
    }

    /** The text of the element with {@code id}, which holds no other elements. */
    static String text(String dom, String id) {
        int at = dom.indexOf("id=\"" + id + "\"");
        assertTrue(at >= 0, "no #" + id);
        int start = dom.indexOf('>', at) + 1;
        return dom.substring(start, dom.indexOf('<', start));
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    /** {@code data-box} ("x,y,width,height" in page pixels) as ints. */
    static int[] box(String attribute) {
        assertTrue(attribute != null && attribute.matches("\\d+,\\d+,\\d+,\\d+"), "data-box " + attribute);
        String[] p = attribute.split(",");
        int[] b = new int[4];
        for (int i = 0; i < 4; i++) {
            b[i] = Integer.parseInt(p[i]);
        }
        assertTrue(b[2] > 50 && b[3] > 50, "a box of " + attribute);
        assertTrue(b[0] + b[2] <= 1280 && b[1] + b[3] <= 2000, attribute + " lies outside the screenshot");
        return b;
    }

    static int[] inset(int[] b, int by) {
        return new int[] {b[0] + by, b[1] + by, b[2] - 2 * by, b[3] - 2 * by};
    }

    static int pixelsNear(BufferedImage img, int[] b, int rgb) {
        int n = 0;
        for (int y = b[1]; y < b[1] + b[3]; y++) {
            for (int x = b[0]; x < b[0] + b[2]; x++) {
                int p = img.getRGB(x, y);
                int d = Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) + Math.abs(((p >> 8) & 255)
                        - ((rgb >> 8) & 255)) + Math.abs((p & 255) - (rgb & 255));
                if (d <= 30) {
                    n++;
                }
            }
        }
        return n;
    }

    static int distinctColours(BufferedImage img, int[] b) {
        Set<Integer> colours = new HashSet<>();
        for (int y = b[1]; y < b[1] + b[3]; y++) {
            for (int x = b[0]; x < b[0] + b[2]; x++) {
                colours.add(img.getRGB(x, y) & 0xffffff);
            }
        }
        return colours.size();
    }

    /**
     * The mean of a grey PNG's stored values, which browsers show as sRGB levels as they are
     * ({@code getRGB} of a grey BufferedImage would convert them as linear light).
     */
    static double meanStoredGrey(BufferedImage png) {
        assertEquals(1, png.getRaster().getNumBands(), "the grids are grey PNGs");
        double sum = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                sum += png.getRaster().getSample(x, y, 0);
            }
        }
        return sum / ((double) png.getWidth() * png.getHeight());
    }

    static double meanGrey(BufferedImage img, int[] b) {
        double sum = 0;
        for (int y = b[1]; y < b[1] + b[3]; y++) {
            for (int x = b[0]; x < b[0] + b[2]; x++) {
                int p = img.getRGB(x, y);
                sum += (((p >> 16) & 255) + ((p >> 8) & 255) + (p & 255)) / 3.0;
            }
        }
        return sum / ((double) b[2] * b[3]);
    }
}
