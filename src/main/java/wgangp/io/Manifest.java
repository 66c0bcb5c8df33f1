package wgangp.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The list of a checkpoint's files with their sizes and SHA-256 digests, one line each:
 * {@code <sha256>  <size>  <name>}. Written last, so a checkpoint without a manifest, or whose
 * files do not match it, is incomplete or torn and must not be loaded.
 */
public final class Manifest {
    public static final String NAME = "MANIFEST";

    /** One file as the manifest records it. */
    public record Entry(String sha256, long size) {
    }

    private final Map<String, Entry> entries;

    private Manifest(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static Manifest of(Map<String, byte[]> files) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        files.forEach((name, bytes) -> entries.put(name, new Entry(sha256(bytes), bytes.length)));
        return new Manifest(entries);
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        entries.forEach((name, e) -> out.append(e.sha256()).append("  ").append(e.size()).append("  ").append(name)
                .append('\n'));
        return out.toString();
    }

    public static Manifest parse(String text, String source) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("  ", 3);
            if (parts.length != 3 || parts[0].length() != 64) {
                throw new IOException(source + " has a malformed line: " + line);
            }
            try {
                entries.put(parts[2], new Entry(parts[0], Long.parseLong(parts[1])));
            } catch (NumberFormatException e) {
                throw new IOException(source + " has a malformed size in: " + line, e);
            }
        }
        return new Manifest(entries);
    }

    /** Fails unless the manifest lists {@code name} with {@code size} bytes: the check that reads no file. */
    public void verifySize(String name, long size, String source) throws IOException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IOException(source + " does not list " + name);
        }
        if (e.size() != size) {
            throw new IOException(name + " has " + size + " bytes, " + source + " records " + e.size());
        }
    }

    /** Fails unless {@code bytes} are exactly what the manifest records for {@code name}: size and SHA-256. */
    public void verify(String name, byte[] bytes, String source) throws IOException {
        verifySize(name, bytes.length, source);
        if (!entries.get(name).sha256().equals(sha256(bytes))) {
            throw new IOException(name + " does not match its SHA-256 in " + source);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
