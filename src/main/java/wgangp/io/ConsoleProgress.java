package wgangp.io;

import java.time.Duration;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import wgangp.distributed.RoundReport;
import wgangp.distributed.TrainingListener;
import wgangp.train.TrainingState;

/**
 * A progress bar over generator steps with ETA and the latest losses on the driver's console. When
 * stderr is not a terminal (logs, CI) it prints a plain line every {@code logIntervalMillis} instead
 * of redrawing one.
 */
public final class ConsoleProgress implements TrainingListener {
    private final long logIntervalMillis;
    private ProgressBar bar;

    public ConsoleProgress(long logIntervalMillis) {
        this.logIntervalMillis = logIntervalMillis;
    }

    @Override
    public void onStart(TrainingState state, long totalSteps) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName("train")
                .setInitialMax(totalSteps)
                .setUnit(" steps", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .startsFrom(state.generatorSteps(), Duration.ZERO)
                .showSpeed();
        if (System.console() == null) {
            builder.setConsumer(new DelegatingProgressBarConsumer(System.err::println))
                    .setUpdateIntervalMillis((int) Math.min(Integer.MAX_VALUE, logIntervalMillis));
        } else {
            builder.setUpdateIntervalMillis(500);
        }
        bar = builder.build();
    }

    @Override
    public void onRound(RoundReport r) {
        if (bar != null) {
            bar.stepTo(r.generatorSteps());
            bar.setExtraMessage(String.format(" epoch %.2f  W %.3f  D %.3f  G %.3f", r.epoch(),
                    r.meanLosses().wassersteinEstimate(), r.meanLosses().criticLoss(),
                    r.meanLosses().generatorLoss()));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
