package kg.evpower.simulator.runtime;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: each simulated station is an actor on top of a
 * few threads, so its state needs no locks and thousands of stations do not need thousands of threads.
 */
public final class SerialExecutor implements Executor {
    private final Executor pool;
    private final Consumer<Throwable> onFailure;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor pool, Consumer<Throwable> onFailure) {
        this.pool = pool;
        this.onFailure = onFailure;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        submitDrain();
    }

    private void submitDrain() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The runtime is shutting down: late socket and timer events are dropped.
            synchronized (tasks) {
                tasks.clear();
                running = false;
            }
        }
    }

    private void drain() {
        // A bounded batch, then yield the pool thread to other stations.
        for (int i = 0; i < 64; i++) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (Throwable t) {
                onFailure.accept(t);
            }
        }
        submitDrain();
    }
}
