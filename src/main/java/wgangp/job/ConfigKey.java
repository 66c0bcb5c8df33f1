package wgangp.job;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key, the single place that says everything about it: its name, its default
 * (as written in conf/wgan-gp.properties), how a string becomes a value and which values are
 * valid, how the value is written to JSON, whether a resumed run may change it, and its
 * {@code train} option and help. {@link JobConfig#KEYS} lists them all; the defaults, the parser,
 * config.json, {@code --set}, the options of {@code train} and the resume rule derive from it.
 *
 * @param name         the key, as in the properties file and config.json
 * @param defaultValue the built-in default, as text
 * @param parse        text to value; throws IllegalArgumentException with the reason, which the
 *                     caller prefixes with "key=value: "
 * @param json         value to what config.json holds (numbers, lists, strings)
 * @param training     whether the value shapes the trained weights, so that a resumed run may not change it
 * @param option       the {@code train} option that sets it, or null (then only {@code --set})
 * @param paramLabel   the option's parameter label
 * @param help         one line of help
 * @param valueBefore  for a training key added after runs were written: the value those runs
 *                     trained with, which a checkpoint without the key stands for; null when a
 *                     checkpoint must hold the key
 */
public record ConfigKey<T>(String name, String defaultValue, Function<String, T> parse, Function<T, Object> json,
                           boolean training, String option, String paramLabel, String help, String valueBefore) {

    /** The value {@code text} stands for, or an IllegalArgumentException naming this key. */
    public T valueOf(String text) {
        String raw = text.trim();
        try {
            return parse.apply(raw);
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            // A library check that already names the key (such as the critic's refusals) stands as it is.
            throw new IllegalArgumentException(message.startsWith(name + "=") ? message
                    : name + "=" + raw + ": " + message, e);
        }
    }

    /** The value as config.json holds it. */
    public Object toJson(Object value) {
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return json.apply(typed);
    }

    /** This key set by a {@code train} option. */
    ConfigKey<T> option(String newOption, String newParamLabel) {
        return new ConfigKey<>(name, defaultValue, parse, json, training, newOption, newParamLabel, help, valueBefore);
    }

    /** This key as one that shapes the trained weights: a resumed run may not change it. */
    ConfigKey<T> shapesWeights() {
        return new ConfigKey<>(name, defaultValue, parse, json, true, option, paramLabel, help, valueBefore);
    }

    /**
     * This training key as one added after runs were written, which trained as with
     * {@code before}: a checkpoint without the key resumes with that value.
     */
    ConfigKey<T> addedAfterRunsTrainedWith(String before) {
        return new ConfigKey<>(name, defaultValue, parse, json, training, option, paramLabel, help, before);
    }

    /** This training key as one added after runs were written, which trained as its default does. */
    ConfigKey<T> addedAfterRunsTrainedWithTheDefault() {
        return addedAfterRunsTrainedWith(defaultValue);
    }

    // --- the kinds of value ------------------------------------------------------------------

    static ConfigKey<String> text(String name, String defaultValue, String help) {
        return new ConfigKey<>(name, defaultValue, Function.identity(), s -> s, false, null, null, help, null);
    }

    static ConfigKey<Integer> integer(String name, String defaultValue, int min, String help) {
        return new ConfigKey<>(name, defaultValue, s -> {
            long value = atLeast(parseLong(s), min);
            if (value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("must be <= " + Integer.MAX_VALUE);
            }
            return (int) value;
        }, i -> i, false, null, null, help, null);
    }

    static ConfigKey<Long> longInteger(String name, String defaultValue, long min, String help) {
        return new ConfigKey<>(name, defaultValue, s -> atLeast(parseLong(s), min), l -> l, false, null, null, help,
                null);
    }

    static ConfigKey<Double> real(String name, String defaultValue, Predicate<Double> valid, String rule,
                                  String help) {
        return new ConfigKey<>(name, defaultValue, s -> {
            double d = parseReal(s);
            if (!valid.test(d)) {
                throw new IllegalArgumentException(rule);
            }
            return d;
        }, d -> d, false, null, null, help, null);
    }

    /** A real number in [0, 1): a decay rate or a slope. */
    static ConfigKey<Double> fraction(String name, String defaultValue, String help) {
        return real(name, defaultValue, x -> x >= 0 && x < 1, "must be in [0, 1)", help);
    }

    /** A real number above 0. */
    static ConfigKey<Double> positive(String name, String defaultValue, String help) {
        return real(name, defaultValue, x -> x > 0, "must be > 0", help);
    }

    static ConfigKey<Boolean> flag(String name, String defaultValue, String help) {
        return new ConfigKey<>(name, defaultValue, s -> switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        }, b -> b, false, null, null, help, null);
    }

    static ConfigKey<List<Integer>> widths(String name, String defaultValue, String help) {
        return new ConfigKey<>(name, defaultValue, ConfigKey::parseWidths, l -> l, false, null, null, help, null);
    }

    /** A value of a named kind ({@code parse} throws with its own reason), written as its text. */
    static <T> ConfigKey<T> named(String name, String defaultValue, Function<String, T> parse, String help) {
        return new ConfigKey<>(name, defaultValue, parse, Object::toString, false, null, null, help, null);
    }

    /** This key, refusing values {@code valid} rejects with {@code rule}. */
    ConfigKey<T> requiring(Predicate<T> valid, Function<T, String> rule) {
        return new ConfigKey<>(name, defaultValue, s -> {
            T value = parse.apply(s);
            if (!valid.test(value)) {
                throw new IllegalArgumentException(rule.apply(value));
            }
            return value;
        }, json, training, option, paramLabel, help, valueBefore);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
    }

    private static long atLeast(long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException("must be >= " + min);
        }
        return value;
    }

    private static double parseReal(String s) {
        double d;
        try {
            d = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not a finite number");
        }
        return d;
    }

    private static List<Integer> parseWidths(String s) {
        List<Integer> out = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            int w;
            try {
                w = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a comma-separated list of positive integers");
            }
            if (w <= 0) {
                throw new IllegalArgumentException("not a comma-separated list of positive integers");
            }
            out.add(w);
        }
        return List.copyOf(out);
    }
}
