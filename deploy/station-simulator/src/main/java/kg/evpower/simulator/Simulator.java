package kg.evpower.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kg.evpower.simulator.runtime.MessageLog;
import kg.evpower.simulator.runtime.SimulatorRuntime;
import kg.evpower.simulator.station.SimulatedStation;
import kg.evpower.simulator.station.StationMetrics;

/** A fleet of simulated stations, started at the ramp rate and stopped together. */
public final class Simulator {
    private final List<SimulatedStation> stations = new ArrayList<>();
    private final SimulatorRuntime runtime;
    private final AtomicInteger started = new AtomicInteger();
    private volatile ScheduledFuture<?> rampTask;
    private volatile boolean stopping;

    private Simulator(SimulatorOptions options, SimulatorRuntime runtime, StationMetrics metrics, MessageLog log,
                      boolean reconnect) {
        this.runtime = runtime;
        List<String> ids = options.stationIds();
        for (int i = 0; i < ids.size(); i++) {
            stations.add(new SimulatedStation(ids.get(i), options.urlFor(i), options, runtime, metrics, log, reconnect));
        }
    }

    /**
     * Creates the stations and starts them at {@code rampPerSecond} (a tick every 10 ms starts those that are due).
     * Reconnecting after a lost connection is on for the simulator and off for load runs.
     */
    public static Simulator start(SimulatorOptions options, SimulatorRuntime runtime, StationMetrics metrics,
                                  MessageLog log, boolean reconnect) {
        Simulator simulator = new Simulator(options, runtime, metrics, log, reconnect);
        simulator.ramp(options.rampPerSecond());
        return simulator;
    }

    private void ramp(double perSecond) {
        long t0 = System.nanoTime();
        rampTask = runtime.scheduler().scheduleAtFixedRate(() -> {
            double elapsed = (System.nanoTime() - t0) / 1e9;
            int due = (int) Math.min(stations.size(), Math.floor(elapsed * perSecond) + 1);
            while (!stopping && started.get() < due) {
                stations.get(started.getAndIncrement()).start();
            }
            if (started.get() >= stations.size() || stopping) {
                throw new RampDone();
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
    }

    /** Ends the ramp task by failing it (the scheduler then drops it); not an error. */
    private static final class RampDone extends RuntimeException {
        RampDone() {
            super(null, null, false, false);
        }
    }

    public int startedCount() {
        return started.get();
    }

    public List<SimulatedStation> stations() {
        return stations;
    }

    /** Closes every connection with 1001 going away; waits at most {@code timeout}. */
    public void stop(Duration timeout) {
        stopping = true;
        ScheduledFuture<?> task = rampTask;
        if (task != null) {
            task.cancel(false);
        }
        int count = Math.min(started.get(), stations.size());
        CompletableFuture<?>[] closing = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            closing[i] = stations.get(i).stop();
        }
        try {
            CompletableFuture.allOf(closing).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Some peers did not answer the close in time; the runtime shutdown aborts them.
        }
    }
}
