package wgangp.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.util.StringUtils;
import wgangp.io.CheckpointSummary;
import wgangp.io.EvalRecord;
import wgangp.io.RunInfo;
import wgangp.io.RunLock;
import wgangp.io.SampleGridFile;

/** The text {@code browse} prints: a table of runs, or one run's grids, checkpoints and evaluations. */
final class RunTables {
    private static final Character[] BORDER = AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS;
    private static final String NONE = "-";

    private RunTables() {
    }

    /** One row per run: its config summary, how far it got, its newest complete checkpoint and latest FID. */
    static String runs(List<RunInfo> runs) {
        List<Column> columns = new ArrayList<>();
        columns.add(left("run"));
        RunInfo.SUMMARY_KEYS.forEach(k -> columns.add(right(k)));
        columns.addAll(List.of(right("step"), right("critic iters"), right("epoch"), left("checkpoint"),
                right("FID @ step"), left("driver")));
        List<Object[]> rows = new ArrayList<>();
        for (RunInfo run : runs) {
            List<String> row = new ArrayList<>();
            row.add(run.name());
            RunInfo.SUMMARY_KEYS.forEach(k -> row.add(run.configValue(k)));
            row.add(count(run.generatorSteps()));
            row.add(count(run.criticIters()));
            row.add(number(run.lastMetric("epoch"), 2));
            row.add(run.latestComplete().map(CheckpointSummary::name).orElse(NONE));
            row.add(run.latestEval().map(e -> number(e.fid(), 2) + " @ " + e.generatorSteps()).orElse(NONE));
            row.add(run.driver() == null ? NONE : run.driver().state().toString().toLowerCase(Locale.ROOT));
            rows.add(row.toArray());
        }
        return AsciiTable.getTable(BORDER, columns.toArray(Column[]::new), rows.toArray(Object[][]::new));
    }

    /** A run in detail: a summary block, then its sample grids, checkpoints and evaluations. */
    static String run(RunInfo run) {
        StringBuilder out = new StringBuilder();
        line(out, "run", run.root().toString());
        List<String> config = new ArrayList<>();
        RunInfo.SUMMARY_KEYS.forEach(k -> config.add(k + " " + run.configValue(k)));
        List.of("latent", "generator.hidden", "critic.hidden").forEach(k -> config.add(k + " " + run.configValue(k)));
        line(out, "config", run.config() == null ? "no readable config.json" : String.join(", ", config));
        line(out, "progress", progress(run));
        line(out, "driver", driver(run.driver()));
        line(out, "checkpoint", run.latestComplete().map(c -> c.name() + " (newest complete; checkpoints/latest names "
                + (run.latestName() == null ? "none" : run.latestName()) + ")").orElse("no complete checkpoint"));
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, Boolean> f : run.files().entrySet()) {
            files.add(f.getKey() + (f.getValue() ? "" : " (missing)"));
        }
        line(out, "files", String.join(", ", files));

        out.append("\nsample grids (").append(run.grids().size()).append(")\n");
        if (!run.grids().isEmpty()) {
            List<Object[]> rows = new ArrayList<>();
            for (SampleGridFile g : run.grids()) {
                rows.add(new Object[] {g.name(), g.step(), g.epoch(), StringUtils.byteDesc(g.bytes())});
            }
            out.append(table(new Column[] {left("name"), right("step"), right("epoch"), right("size")}, rows));
        }

        out.append("\ncheckpoints (").append(run.checkpoints().size()).append(")\n");
        if (!run.checkpoints().isEmpty()) {
            List<Object[]> rows = new ArrayList<>();
            for (CheckpointSummary c : run.checkpoints()) {
                rows.add(new Object[] {c.name(), count(c.generatorSteps()), count(c.criticIters()),
                    StringUtils.byteDesc(c.bytes()), c.complete() ? "complete" : c.problem()});
            }
            out.append(table(new Column[] {left("name"), right("generator steps"), right("critic iters"), right("size"),
                left("status")}, rows));
        }

        out.append("\nevaluations (").append(run.evals().size()).append(")\n");
        if (!run.evals().isEmpty()) {
            List<Object[]> rows = new ArrayList<>();
            for (EvalRecord e : run.evals()) {
                rows.add(new Object[] {e.checkpoint(), e.generatorSteps(), orNone(e.criticIters()), orNone(e.samples()),
                    number(e.fid(), 3), number(e.fidFloor(), 3),
                    e.modesCovered() == null ? NONE : e.modesCovered() + "/" + histogramClasses(e),
                    number(e.meanConfidence(), 3), number(e.classifierAccuracy(), 4)});
            }
            out.append(table(new Column[] {left("checkpoint"), right("generator steps"), right("critic iters"),
                right("samples"), right("FID"), right("FID floor"), right("modes"), right("mean confidence"),
                right("classifier accuracy")}, rows));
        }
        return out.toString();
    }

    private static String progress(RunInfo run) {
        if (run.generatorSteps() < 0) {
            return "nothing trained yet (no metrics.jsonl line, no complete checkpoint)";
        }
        StringBuilder p = new StringBuilder("step " + run.generatorSteps() + ", " + run.criticIters()
                + " critic iters per worker");
        if (run.lastMetrics() != null) {
            p.append(", epoch ").append(number(run.lastMetric("epoch"), 2))
                    .append(" (").append(run.metricsRounds())
                    .append(" rounds in metrics.jsonl; last: Wasserstein estimate ")
                    .append(number(run.lastMetric("wasserstein_estimate"), 4)).append(", gradient penalty ")
                    .append(number(run.lastMetric("gradient_penalty"), 4)).append(')');
        }
        return p.toString();
    }

    /** Whether a driver is training the run now, and if not, what lock a stopped one left. */
    private static String driver(RunLock.Status lock) {
        if (lock == null) {
            return "none (no driver is training this run)";
        }
        String who = lock.describe(Instant.now());
        return lock.live() ? "live: " + who : "none live; a lock is left by " + who + " (" + lock.reason()
                + "), which train --resume takes over";
    }

    private static String histogramClasses(EvalRecord e) {
        return e.classHistogram() == null ? "?" : String.valueOf(e.classHistogram().length);
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("%-11s %s%n", label, value));
    }

    private static String table(Column[] columns, List<Object[]> rows) {
        return AsciiTable.getTable(BORDER, columns, rows.toArray(Object[][]::new)) + System.lineSeparator();
    }

    private static Column left(String header) {
        return new Column().header(header).headerAlign(HorizontalAlign.LEFT).dataAlign(HorizontalAlign.LEFT);
    }

    private static Column right(String header) {
        return new Column().header(header).headerAlign(HorizontalAlign.RIGHT).dataAlign(HorizontalAlign.RIGHT);
    }

    private static String count(long n) {
        return n < 0 ? NONE : String.valueOf(n);
    }

    private static String orNone(Object v) {
        return v == null ? NONE : v.toString();
    }

    private static String number(Double v, int digits) {
        return v == null || v.isNaN() ? NONE : String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
