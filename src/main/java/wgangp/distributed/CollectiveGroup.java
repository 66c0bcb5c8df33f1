package wgangp.distributed;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Communicator;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.XGBoostJNI;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgangp.model.Engine;
import wgangp.model.ReplicaGroup;

/**
 * One barrier task's place in XGBoost's collective, as the {@link ReplicaGroup} its replica trains
 * in: every sum is an allreduce over the tasks of the stage (a ring over TCP for large arrays). The
 * communicator belongs to the thread that joined, so several tasks of one executor JVM (and every
 * task of {@code local[N]}) are ranks of their own. Counts the time spent inside the collective.
 *
 * <p>The sums go through XGBoost's JNI call on a direct buffer, the one under its public
 * {@code Communicator.allReduce(float[])}, which copies element by element into a fresh buffer on
 * every call and drops the call's status: a host array's memory is summed in place, and a failed
 * allreduce (a peer gone) fails the task instead of training on garbage.
 */
final class CollectiveGroup implements ReplicaGroup, AutoCloseable {
    private static final Method ALLREDUCE = allreduceCall();

    private final int size;
    private ByteBuffer scratch = ByteBuffer.allocateDirect(0);
    private long nanos;
    private long calls;
    private long bytes;
    private boolean closed;

    private CollectiveGroup(int size) {
        this.size = size;
    }

    /** The task id a rank joins with: zero-padded, since the tracker orders the ids as text. */
    static String taskId(int rank) {
        return String.format("%09d", rank);
    }

    /**
     * Joins the collective as {@code rank} of {@code size}, from the tracker's {@code workerArgs};
     * returns once every rank has joined.
     */
    static CollectiveGroup join(String workerArgs, int rank, int size) {
        Map<String, Object> args = new HashMap<>(CollectiveTracker.parse(workerArgs));
        args.put("dmlc_task_id", taskId(rank));
        try {
            Communicator.init(args);
        } catch (XGBoostError e) {
            throw CollectiveTracker.wrap(e, "join as rank " + rank + " of " + size);
        }
        CollectiveGroup group = new CollectiveGroup(size);
        try {
            int joinedRank = Communicator.getRank();
            int world = Communicator.getWorldSize();
            if (joinedRank != rank || world != size) {
                throw new IllegalStateException("XGBoost collective: task " + rank + " of " + size + " joined as rank "
                        + joinedRank + " of " + world);
            }
        } catch (XGBoostError e) {
            group.close();
            throw CollectiveTracker.wrap(e, "read rank " + rank + "'s place");
        } catch (IllegalStateException e) {
            group.close();
            throw e;
        }
        return group;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void sum(float[] values, int from, int length) {
        ByteBuffer buffer = scratch(4L * length);
        buffer.asFloatBuffer().put(values, from, length);
        allreduce(buffer, length, Communicator.DataType.FLOAT32);
        buffer.asFloatBuffer().get(values, from, length);
    }

    @Override
    public void sum(double[] values, int from, int length) {
        ByteBuffer buffer = scratch(8L * length);
        buffer.asDoubleBuffer().put(values, from, length);
        allreduce(buffer, length, Communicator.DataType.FLOAT64);
        buffer.asDoubleBuffer().get(values, from, length);
    }

    /** A whole host float array is summed in its own memory; any other array through a heap copy. */
    @Override
    public void sum(INDArray values) {
        boolean whole = values.dataType() == DataType.FLOAT && values.offset() == 0
                && values.data().length() == values.length();
        if (whole && Engine.cpuBackend()) {
            ByteBuffer memory = values.data().asNio().order(ByteOrder.nativeOrder());
            allreduce(memory, Math.toIntExact(values.length()), Communicator.DataType.FLOAT32);
        } else {
            ReplicaGroup.super.sum(values);
        }
    }

    /** The allreduce calls so far: their time, number and bytes. */
    AllreduceTimes times() {
        return new AllreduceTimes(nanos / 1e9, calls, bytes);
    }

    /** Leaves the collective; the tracker ends when every rank has left. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Communicator.shutdown();
        } catch (XGBoostError e) {
            throw CollectiveTracker.wrap(e, "leave");
        }
    }

    private void allreduce(ByteBuffer buffer, int count, Communicator.DataType type) {
        long t0 = System.nanoTime();
        int rc;
        try {
            rc = (int) ALLREDUCE.invoke(null, buffer, count, type.getEnumOp(), Communicator.OpType.SUM.getOperand());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("XGBoost collective: allreduce not callable", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("XGBoost collective: allreduce failed", e.getCause());
        }
        nanos += System.nanoTime() - t0;
        calls++;
        bytes += (long) count * type.getSize();
        CollectiveTracker.check(rc, "sum " + count + " values across " + size + " tasks");
    }

    private ByteBuffer scratch(long bytes) {
        if (scratch.capacity() < bytes) {
            scratch = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
        }
        scratch.clear();
        return scratch;
    }

    private static Method allreduceCall() {
        try {
            Method m = XGBoostJNI.class.getDeclaredMethod("CommunicatorAllreduce", ByteBuffer.class, int.class,
                    int.class, int.class);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError("this xgboost4j has no CommunicatorAllreduce(ByteBuffer, int, int, int): "
                    + e.getMessage());
        }
    }
}
