package kg.evpower.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kg.evpower.simulator.load.LoadRun;
import kg.evpower.simulator.runtime.MessageLog;
import kg.evpower.simulator.runtime.SimulatorRuntime;
import kg.evpower.simulator.station.StationMetrics;

/** Command line entry point: the station simulator, or with --load the bounded load run. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args);
        } catch (SimulatorOptions.HelpRequested help) {
            System.out.print(SimulatorOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("run with --help for the options");
            System.exit(2);
            return;
        }
        if (options.load()) {
            runLoad(options, System.out);
        } else {
            runSimulator(options);
        }
    }

    private static void runLoad(SimulatorOptions options, PrintStream out) throws InterruptedException {
        LoadRun run = new LoadRun(options, new MessageLog(System.err, options.verbose(), true));
        CountDownLatch printed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            run.requestStop();
            try {
                printed.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String summary = run.run().toJson();
        out.println(summary);
        out.flush();
        printed.countDown();
    }

    private static void runSimulator(SimulatorOptions options) throws InterruptedException {
        SimulatorRuntime runtime = new SimulatorRuntime(options.threads(), Math.max(1, Math.min(4, options.threads() / 2)));
        MessageLog log = new MessageLog(System.err, options.verbose(), false);
        Simulator simulator = Simulator.start(options, runtime, StationMetrics.NONE, log, true);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("stopping " + simulator.startedCount() + " stations");
            simulator.stop(Duration.ofSeconds(5));
            runtime.close();
            stopped.countDown();
        }, "sim-shutdown"));
        System.err.println("simulating " + options.stationIds().size() + " stations against " + options.urlText()
                + " (Ctrl-C to stop)");
        Duration duration = options.duration();
        if (duration != null && !duration.isZero()) {
            if (!stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS)) {
                System.exit(0); // runs the shutdown hook, which closes the stations
            }
        } else {
            stopped.await();
        }
    }
}
