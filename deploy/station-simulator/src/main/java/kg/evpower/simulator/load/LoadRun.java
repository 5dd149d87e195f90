package kg.evpower.simulator.load;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kg.evpower.simulator.Simulator;
import kg.evpower.simulator.SimulatorOptions;
import kg.evpower.simulator.runtime.MessageLog;
import kg.evpower.simulator.runtime.SimulatorRuntime;

/**
 * A bounded load run: at most {@link SimulatorOptions#MAX_LOAD_STATIONS} stations for at most
 * {@link SimulatorOptions#MAX_LOAD_DURATION}, against a loopback URL only; lost connections are counted, not retried.
 */
public final class LoadRun {
    private final SimulatorOptions options;
    private final MessageLog log;
    private final LoadMetrics metrics;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    public LoadRun(SimulatorOptions options, MessageLog log) {
        if (!options.load() || options.duration() == null) {
            throw new IllegalArgumentException("not a load run");
        }
        options.urls().forEach(SimulatorOptions::requireLoopback);
        if (options.stationIds().size() > SimulatorOptions.MAX_LOAD_STATIONS
                || options.duration().compareTo(SimulatorOptions.MAX_LOAD_DURATION) > 0) {
            throw new IllegalArgumentException("load run out of bounds");
        }
        this.options = options;
        this.log = log;
        this.metrics = new LoadMetrics(options.stationIds().size(), options.settle());
    }

    public LoadMetrics metrics() {
        return metrics;
    }

    /** Ends the run early (Ctrl-C); {@link #run()} then returns the summary of what happened so far. */
    public void requestStop() {
        stopRequested.countDown();
    }

    public LoadSummary run() throws InterruptedException {
        int httpClients = Math.max(1, Math.min(4, options.threads() / 2));
        try (SimulatorRuntime runtime = new SimulatorRuntime(options.threads(), httpClients)) {
            long t0 = System.nanoTime();
            Simulator simulator = Simulator.start(options, runtime, metrics, log, false);
            stopRequested.await(options.duration().toMillis(), TimeUnit.MILLISECONDS);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            int started = simulator.startedCount();
            long dropped = metrics.disconnected.sum(); // before our own closes at the end
            simulator.stop(Duration.ofSeconds(5));
            return LoadSummary.from(options.urlText(), options.scenario().name().toLowerCase(Locale.ROOT),
                    options.stationIds().size(), started, options.rampPerSecond(),
                    options.duration().toMillis() / 1000.0, elapsed, dropped,
                    options.settle().toMillis() / 1000.0, metrics);
        }
    }
}
