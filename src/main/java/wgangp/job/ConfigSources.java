package wgangp.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import wgangp.io.Json;

/** Where configuration values come from: the properties file, a saved config.json. */
public final class ConfigSources {
    /** Read when no --conf is given and it exists, relative to the working directory. */
    public static final String DEFAULT_FILE = "conf/wgan-gp.properties";

    private ConfigSources() {
    }

    /** The key/value pairs of a properties file on any Hadoop FS; a missing file is a config error. */
    public static Map<String, String> properties(String uri, Configuration conf) {
        Path path = new Path(uri);
        try {
            if (path.getFileSystem(conf).getFileStatus(path).isDirectory()) {
                throw new IllegalArgumentException("configuration file " + uri + " is a directory; pass a properties file");
            }
        } catch (IOException e) {
            // a missing or unreadable file is reported by the read below
        }
        try (InputStream in = path.getFileSystem(conf).open(path);
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return properties(reader);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("configuration file " + uri + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("configuration file " + uri + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The default file's pairs, or the built-in defaults when there is no such file here. */
    public static Map<String, String> defaultFileOrBuiltIn() {
        java.nio.file.Path file = java.nio.file.Path.of(DEFAULT_FILE);
        if (!Files.isRegularFile(file)) {
            return JobConfig.defaults();
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return properties(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("configuration file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> properties(Reader reader) throws IOException {
        Properties p = new Properties();
        p.load(reader);
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            out.put(key, p.getProperty(key));
        }
        return out;
    }

    /** The pairs of a config.json written by {@link JobConfig#toJson} (lists become comma-separated). */
    public static Map<String, String> json(String text, String source) {
        JsonNode root = Json.parse(text, source);
        if (!root.isObject()) {
            throw new IllegalArgumentException(source + " does not hold a JSON object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isArray()) {
                StringBuilder b = new StringBuilder();
                for (JsonNode item : v) {
                    b.append(b.length() > 0 ? "," : "").append(item.asText());
                }
                out.put(e.getKey(), b.toString());
            } else {
                out.put(e.getKey(), v.asText());
            }
        }
        return out;
    }
}
