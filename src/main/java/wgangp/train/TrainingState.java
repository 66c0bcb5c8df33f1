package wgangp.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything that determines how training continues, as named flat float arrays and the two step
 * counters: the unit that is broadcast to workers, averaged, and checkpointed.
 *
 * <p>{@link Array} is the one list of the arrays. Averaging, the checkpoint codec and the finiteness
 * check go over it, so a new array (an outer optimizer's momentum, say) is one more constant there
 * plus the code that produces its values. Instances are built by name only ({@link #of(Map, long,
 * long)}, {@link #of(Function, long, long)}), so two arrays of the same length cannot be swapped by
 * a misplaced argument.
 *
 * <p>The arrays are shared, not copied: a state must not be changed once built.
 */
public final class TrainingState implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The state's arrays. Declaration order is the order in a checkpoint's state file, so existing
     * constants keep their place and a new one goes at the end.
     */
    public enum Array {
        GENERATOR_PARAMS("generator parameters"),
        GENERATOR_BATCH_NORM_STATS("generator batch-norm statistics"),
        /** Adam's first and second moments of the generator parameters, [m | v]. */
        GENERATOR_ADAM("generator Adam state"),
        CRITIC_PARAMS("critic parameters"),
        /** Adam's first and second moments of the critic parameters, [m | v]. */
        CRITIC_ADAM("critic Adam state"),
        /** The outer optimizer's Nesterov momentum of the generator parameters ({@link OuterOptimizer}). */
        GENERATOR_OUTER_MOMENTUM("generator outer momentum", true),
        /** The outer optimizer's Nesterov momentum of the critic parameters ({@link OuterOptimizer}). */
        CRITIC_OUTER_MOMENTUM("critic outer momentum", true);

        private final String label;
        private final boolean driverOnly;

        Array(String label) {
            this(label, false);
        }

        Array(String label, boolean driverOnly) {
            this.label = label;
            this.driverOnly = driverOnly;
        }

        /** What messages call the array. */
        public String label() {
            return label;
        }

        /**
         * Whether the driver alone holds the array between rounds: replicas neither receive nor
         * change it, so it is empty in a replica's state ({@link #forReplicas}), empty until first
         * written, and a state file may end before it (one written before it existed, or one
         * where it is empty).
         */
        public boolean driverOnly() {
            return driverOnly;
        }
    }

    private static final float[] EMPTY = new float[0];

    /** Indexed by {@link Array#ordinal()}. */
    private final float[][] arrays;
    private final long generatorSteps;
    private final long criticSteps;

    private TrainingState(float[][] arrays, long generatorSteps, long criticSteps) {
        this.arrays = arrays;
        this.generatorSteps = generatorSteps;
        this.criticSteps = criticSteps;
    }

    /**
     * A state holding one value for each {@link Array}; a {@linkplain Array#driverOnly() driver-only}
     * array left out is empty.
     */
    public static TrainingState of(Map<Array, float[]> arrays, long generatorSteps, long criticSteps) {
        for (Array name : Array.values()) {
            if (!name.driverOnly() && !arrays.containsKey(name)) {
                throw new IllegalArgumentException("a training state needs each of "
                        + Arrays.toString(Array.values()) + ", got " + arrays.keySet());
            }
        }
        return of(name -> arrays.getOrDefault(name, name.driverOnly() ? EMPTY : null), generatorSteps, criticSteps);
    }

    /** A state whose arrays are {@code array} applied to each {@link Array}, in declaration order. */
    public static TrainingState of(Function<Array, float[]> array, long generatorSteps, long criticSteps) {
        Array[] names = Array.values();
        float[][] values = new float[names.length][];
        for (Array name : names) {
            values[name.ordinal()] = array.apply(name);
            if (values[name.ordinal()] == null) {
                throw new IllegalArgumentException("a training state needs the " + name.label());
            }
        }
        return new TrainingState(values, generatorSteps, criticSteps);
    }

    /** The inverse of {@link #arrays()}: one array for each {@link Array}, in declaration order. */
    public static TrainingState fromList(List<float[]> arrays, long generatorSteps, long criticSteps) {
        if (arrays.size() != Array.values().length) {
            throw new IllegalArgumentException("a training state has " + Array.values().length + " arrays "
                    + Arrays.toString(Array.values()) + ", got " + arrays.size());
        }
        return of(name -> arrays.get(name.ordinal()), generatorSteps, criticSteps);
    }

    /** This state with {@code name} replaced by {@code values}; the other arrays are shared. */
    public TrainingState with(Array name, float[] values) {
        return of(n -> n == name ? values : get(n), generatorSteps, criticSteps);
    }

    /** This state as replicas receive it: the {@linkplain Array#driverOnly() driver-only} arrays empty. */
    public TrainingState forReplicas() {
        return of(n -> n.driverOnly() ? EMPTY : get(n), generatorSteps, criticSteps);
    }

    /** The named array itself, not a copy. */
    public float[] get(Array name) {
        return arrays[name.ordinal()];
    }

    /** Every array in {@link Array} declaration order; the arrays themselves, not copies. */
    public List<float[]> arrays() {
        return List.of(arrays);
    }

    /** Every array by name, in declaration order; the arrays themselves, not copies. */
    public Map<Array, float[]> asMap() {
        Map<Array, float[]> map = new EnumMap<>(Array.class);
        for (Array name : Array.values()) {
            map.put(name, get(name));
        }
        return Collections.unmodifiableMap(map);
    }

    public float[] generatorParams() {
        return get(Array.GENERATOR_PARAMS);
    }

    public float[] generatorBatchNormStats() {
        return get(Array.GENERATOR_BATCH_NORM_STATS);
    }

    public float[] generatorAdam() {
        return get(Array.GENERATOR_ADAM);
    }

    public float[] criticParams() {
        return get(Array.CRITIC_PARAMS);
    }

    public float[] criticAdam() {
        return get(Array.CRITIC_ADAM);
    }

    public long generatorSteps() {
        return generatorSteps;
    }

    public long criticSteps() {
        return criticSteps;
    }

    /** Names the first array holding a NaN or infinite value, or null when all are finite. */
    public String firstNonFinite() {
        for (Array name : Array.values()) {
            for (float v : get(name)) {
                if (!Float.isFinite(v)) {
                    return name.label();
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TrainingState[generatorSteps=").append(generatorSteps)
                .append(", criticSteps=").append(criticSteps);
        for (Array name : Array.values()) {
            s.append(", ").append(name.label()).append(": ").append(get(name).length).append(" floats");
        }
        return s.append(']').toString();
    }
}
