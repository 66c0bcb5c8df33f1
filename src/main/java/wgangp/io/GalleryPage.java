package wgangp.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code index.html}: one self-contained page per run. The template, its script and style
 * ({@code src/main/resources/wgangp/io/gallery/}) and the uPlot chart library (from its webjar) are
 * inlined, the run's data ({@link GalleryModel}) embedded as JSON; images are relative links into
 * the run directory. Nothing is loaded from the network, so the page works from a copied run
 * directory as well as served over HTTP.
 */
public final class GalleryPage {
    public static final String NAME = "index.html";
    private static final String RESOURCES = "wgangp/io/gallery/";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final Pattern SLOT = Pattern.compile("\\{\\{([A-Z_]+)}}");

    private final String template;
    private final Map<String, String> fixed;

    private GalleryPage(String template, Map<String, String> fixed) {
        this.template = template;
        this.fixed = fixed;
    }

    /** Reads the template, its script and style and uPlot from the classpath, once. */
    public static GalleryPage load() {
        String version = uplotVersion();
        String uplot = "META-INF/resources/webjars/uplot/" + version + "/";
        return new GalleryPage(resource(RESOURCES + "index.html"), Map.of(
                "PAGE_CSS", resource(RESOURCES + "gallery.css"),
                "PAGE_JS", resource(RESOURCES + "gallery.js"),
                "UPLOT_CSS", resource(uplot + "dist/uPlot.min.css"),
                "UPLOT_JS", uplotScript(resource(uplot + "dist/uPlot.iife.min.js"), resource(uplot + "LICENSE"),
                        version),
                "UPLOT_VERSION", version));
    }

    /** The page for {@code model}. */
    public String render(ObjectNode model) {
        Matcher m = SLOT.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 65_536);
        while (m.find()) {
            String slot = m.group(1);
            String value = switch (slot) {
                case "TITLE" -> escapeHtml(model.path("run").asText());
                case "RUN_DATA" -> scriptSafeJson(model);
                default -> fixed.get(slot);
            };
            if (value == null) {
                throw new IllegalStateException(RESOURCES + "index.html has an unknown slot {{" + slot + "}}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** (Re)writes {@code root/index.html} from the run directory's current content. */
    public void write(FileSystem fs, Path root, GalleryModel.Progress progress) throws IOException {
        AtomicFiles.writeText(fs, new Path(root, NAME), render(GalleryModel.read(fs, root, progress)));
    }

    /**
     * JSON inside {@code <script>}: a {@code "</script>"} or {@code "<!--"} in any string (a path,
     * a config value) would end or derail the element. {@code <} occurs in JSON only inside
     * strings, where {@code \u003c} means the same character.
     */
    static String scriptSafeJson(ObjectNode model) {
        return Json.line(model).replace("<", "\\u003c");
    }

    /**
     * uPlot's minified build with its MIT licence in front. Its one-line banner is a link to the
     * project; the licence comment names the project without a scheme instead, so that the page
     * holds no http(s) address at all and a search for one finds real network references only.
     */
    private static String uplotScript(String minified, String license, String version) {
        String code = minified;
        if (code.startsWith("/*!")) {
            code = code.substring(code.indexOf("*/") + 2).stripLeading();
        }
        if (license.contains("*/") || code.contains("</script")) {
            throw new IllegalStateException("uPlot " + version + " cannot be inlined into a <script> as it is");
        }
        return "/*! uPlot " + version + ", github.com/leeoniya/uPlot\n" + license.strip() + "\n*/\n" + code;
    }

    private static String uplotVersion() {
        Properties pom = new Properties();
        try (InputStream in = stream(UPLOT_POM)) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static String resource(String name) {
        try (InputStream in = stream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream stream(String name) {
        InputStream in = GalleryPage.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath; the build packs it into the jar");
        }
        return in;
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
