package wgangp.data;

import java.util.Objects;

/**
 * Unsigned 8-bit labels read from an IDX file.
 *
 * @param source the fully qualified path the labels came from, for messages
 * @param count  number of labels
 * @param labels {@code count} raw label bytes
 */
public record IdxLabels(String source, int count, byte[] labels) {

    public IdxLabels {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(labels, "labels");
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException("labels holds " + labels.length + " bytes, expected " + count);
        }
    }

    /** The label as an unsigned value, 0..255. */
    public int label(int index) {
        return labels[Objects.checkIndex(index, count)] & 0xff;
    }

    @Override
    public String toString() {
        return "IdxLabels[" + source + ", " + count + "]";
    }
}
