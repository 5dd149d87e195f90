package kg.evpower.simulator.runtime;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads all stations share: one scheduler for every timer, a small worker pool that runs the station actors,
 * and a few JDK HTTP clients (each with one selector thread) that carry the WebSockets.
 */
public final class SimulatorRuntime implements AutoCloseable {
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService workers;
    private final List<HttpClient> clients = new ArrayList<>();
    private final AtomicInteger nextClient = new AtomicInteger();

    public SimulatorRuntime(int workerThreads, int httpClients) {
        scheduler = new ScheduledThreadPoolExecutor(1, daemon("sim-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        workers = Executors.newFixedThreadPool(Math.max(1, workerThreads), daemon("sim-worker"));
        for (int i = 0; i < Math.max(1, httpClients); i++) {
            clients.add(HttpClient.newBuilder()
                    .executor(workers)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build());
        }
    }

    public static SimulatorRuntime forMachine() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new SimulatorRuntime(Math.max(2, cores), Math.max(1, Math.min(4, cores / 2)));
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public ExecutorService workers() {
        return workers;
    }

    /** HTTP clients handed out round-robin so the connections spread over their selector threads. */
    public HttpClient httpClient() {
        return clients.get(Math.floorMod(nextClient.getAndIncrement(), clients.size()));
    }

    /** Runs {@code task} on {@code target} after {@code delay}; the timer thread itself never runs station code. */
    public ScheduledFuture<?> schedule(SerialExecutor target, Runnable task, Duration delay) {
        return scheduler.schedule(() -> target.execute(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    public ScheduledFuture<?> scheduleAtFixedRate(SerialExecutor target, Runnable task, Duration first, Duration period) {
        return scheduler.scheduleAtFixedRate(() -> target.execute(task), Math.max(0, first.toNanos()),
                Math.max(1, period.toNanos()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        for (HttpClient client : clients) {
            client.shutdownNow();
        }
        workers.shutdownNow();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
