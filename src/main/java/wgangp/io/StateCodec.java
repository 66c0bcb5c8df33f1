package wgangp.io;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import wgangp.train.TrainingState;

/**
 * Compact binary forms of a {@link TrainingState} and of a float matrix: an 8-byte magic, the
 * counters, then each array as its length and its big-endian floats (what DataOutputStream writes).
 * A state's arrays are in {@link TrainingState.Array} declaration order, which is why that order
 * never changes; a file may end before trailing driver-only arrays, which are then empty.
 */
public final class StateCodec {
    private static final byte[] STATE_MAGIC = "WGGPSTA1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MATRIX_MAGIC = "WGGPMAT1".getBytes(StandardCharsets.US_ASCII);

    private StateCodec() {
    }

    /**
     * The state file of {@code s}. Empty {@linkplain TrainingState.Array#driverOnly() driver-only}
     * arrays at the end are left out, so a run that never uses them writes the same bytes as
     * before they existed.
     */
    public static byte[] encode(TrainingState s) {
        List<float[]> arrays = s.arrays();
        TrainingState.Array[] names = TrainingState.Array.values();
        int written = names.length;
        while (written > 0 && names[written - 1].driverOnly() && arrays.get(written - 1).length == 0) {
            written--;
        }
        arrays = arrays.subList(0, written);
        long bytes = STATE_MAGIC.length + 16L;
        for (float[] a : arrays) {
            bytes += 4 + 4L * a.length;
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a training state of " + bytes + " bytes is too large for one file");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.BIG_ENDIAN);
        buf.put(STATE_MAGIC).putLong(s.generatorSteps()).putLong(s.criticSteps());
        for (float[] a : arrays) {
            putFloats(buf, a);
        }
        return buf.array();
    }

    public static TrainingState decodeState(byte[] bytes, String source) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        try {
            checkMagic(buf, STATE_MAGIC, source);
            long generatorSteps = buf.getLong();
            long criticSteps = buf.getLong();
            List<float[]> arrays = new ArrayList<>();
            for (TrainingState.Array name : TrainingState.Array.values()) {
                if (!buf.hasRemaining() && name.driverOnly()) {
                    arrays.add(new float[0]);
                    continue;
                }
                if (!buf.hasRemaining()) {
                    throw new IOException(source + " ends before the " + name.label()
                            + "; it is truncated or was written without that array");
                }
                arrays.add(getFloats(buf, source));
            }
            if (buf.hasRemaining()) {
                throw new IOException(source + " has " + buf.remaining() + " bytes after the training state");
            }
            return TrainingState.fromList(arrays, generatorSteps, criticSteps);
        } catch (BufferUnderflowException e) {
            throw new IOException(source + " ends inside the training state; it is truncated", e);
        }
    }

    /** Bytes of a state file up to and including its counters. */
    static final int HEADER_BYTES = 8 + 16;

    /**
     * The counters {generator steps, critic iterations} from the first {@link #HEADER_BYTES} of a
     * state file, so a listing need not read the whole state.
     */
    static long[] decodeCounters(byte[] header, String source) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN);
        try {
            checkMagic(buf, STATE_MAGIC, source);
            return new long[] {buf.getLong(), buf.getLong()};
        } catch (BufferUnderflowException e) {
            throw new IOException(source + " ends inside its header; it is truncated", e);
        }
    }

    /** A [rows, cols] matrix given row-major. */
    public static byte[] encodeMatrix(float[] values, int rows, int cols) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values do not form a " + rows + "x" + cols + " matrix");
        }
        ByteBuffer buf = ByteBuffer.allocate(MATRIX_MAGIC.length + 8 + 4 + 4 * values.length);
        buf.put(MATRIX_MAGIC).putInt(rows).putInt(cols);
        putFloats(buf, values);
        return buf.array();
    }

    /** The row-major values of a matrix written by {@link #encodeMatrix}; checks its column count. */
    public static float[] decodeMatrix(byte[] bytes, int expectedCols, String source) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            checkMagic(buf, MATRIX_MAGIC, source);
            int rows = buf.getInt();
            int cols = buf.getInt();
            float[] values = getFloats(buf, source);
            if (cols != expectedCols || (long) rows * cols != values.length || buf.hasRemaining()) {
                throw new IOException(source + " holds a " + rows + "x" + cols + " matrix of " + values.length
                        + " values, expected " + expectedCols + " columns");
            }
            return values;
        } catch (BufferUnderflowException e) {
            throw new IOException(source + " is truncated", e);
        }
    }

    private static void putFloats(ByteBuffer buf, float[] a) {
        buf.putInt(a.length);
        buf.asFloatBuffer().put(a);
        buf.position(buf.position() + 4 * a.length);
    }

    private static float[] getFloats(ByteBuffer buf, String source) throws IOException {
        int n = buf.getInt();
        if (n < 0 || 4L * n > buf.remaining()) {
            throw new IOException(source + " declares an array of " + n + " floats but has " + buf.remaining()
                    + " bytes left; it is truncated or corrupt");
        }
        float[] a = new float[n];
        buf.asFloatBuffer().get(a);
        buf.position(buf.position() + 4 * n);
        return a;
    }

    private static void checkMagic(ByteBuffer buf, byte[] magic, String source) throws IOException {
        byte[] found = new byte[magic.length];
        buf.get(found);
        if (!java.util.Arrays.equals(found, magic)) {
            throw new IOException(source + " does not start with " + new String(magic, StandardCharsets.US_ASCII)
                    + "; it is not a file this program wrote");
        }
    }
}
