package dev.tidemark.serving.model;

import dev.tidemark.core.model.Explanation;
import dev.tidemark.core.model.ModelVersion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching for one {@link ModelVersion}: requests from any number of HTTP threads queue
 * here, and one worker thread scores them in XGBoost calls of up to {@link
 * BatchPolicy#maxBatchSize()} rows (the per-call overhead, ~70 µs, dwarfs the per-row cost, ~0.4
 * µs). The worker is also the only thread that touches the booster, so unloading is safe: {@link
 * #close()} refuses new work, the worker finishes what is queued, then frees the booster.
 *
 * <p>Concepts: a batch starts with the oldest request, takes every queued request that fits, and
 * waits up to {@link BatchPolicy#maxDelay()} for more only while HTTP requests for this model are
 * known to be arriving ({@link #arriving()}); a lone request is scored at once.
 *
 * <p>With a thread-safe evaluator (the compiled trees, {@link
 * dev.tidemark.core.model.Evaluator#threadSafe()}) there is no per-call cost to amortize: a predict
 * request of up to {@link BatchPolicy#maxBatchSize()} rows is scored at once in the calling thread
 * (the HTTP event loop), ~1–2 µs per row, and skips the queue and the two thread hops it costs
 * (measured at concurrency 16: p99 and throughput both better, see serving/README.md). Larger
 * requests and explanations (XGBoost's TreeSHAP) still go through the worker.
 */
public final class Batcher {

  private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

  private final ModelVersion model;
  private final BatchPolicy policy;
  private final IntConsumer batchSizes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private final AtomicInteger arriving = new AtomicInteger();
  private final Thread worker;
  private final boolean inline;
  private volatile boolean closed;

  Batcher(ModelVersion model, BatchPolicy policy, IntConsumer batchSizes) {
    this.model = model;
    this.policy = policy;
    this.batchSizes = batchSizes;
    this.inline = model.evaluator().threadSafe();
    this.worker = new Thread(this::run, "batcher-" + model.name() + "-" + model.version());
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /**
   * Requests for this model whose body is still being received or parsed: the worker waits for them
   * (up to the max delay) to join the current batch. Increment when such a request starts; {@link
   * #predict} and {@link #explain} decrement it for their own request, or call {@link
   * #arrivalAbandoned()}.
   */
  public AtomicInteger arriving() {
    return arriving;
  }

  /** A request counted in {@link #arriving()} ended without being submitted. */
  public void arrivalAbandoned() {
    arriving.decrementAndGet();
    signal();
  }

  /**
   * Queues {@code rows} rows ({@code flat}, row-major) for scoring.
   *
   * @param counted whether the request was counted in {@link #arriving()}
   * @return the probabilities, or null when this batcher is closed (the model was unloaded or
   *     replaced: submit to the current model instead)
   */
  public CompletableFuture<float[]> predict(float[] flat, int rows, boolean counted) {
    if (inline && rows <= policy.maxBatchSize()) {
      if (counted) {
        arriving.decrementAndGet();
      }
      if (closed) {
        return null;
      }
      try {
        float[] p = model.predict(flat, rows);
        batchSizes.accept(rows);
        return CompletableFuture.completedFuture(p);
      } catch (Throwable e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    Task t = new Task(flat, rows, false, new CompletableFuture<>());
    return submit(t, counted) ? t.probabilities : null;
  }

  /** Like {@link #predict}, for TreeSHAP explanations; null when closed. */
  public CompletableFuture<List<Explanation>> explain(float[] flat, int rows, boolean counted) {
    Task t = new Task(flat, rows, true, new CompletableFuture<>());
    return submit(t, counted) ? t.explained : null;
  }

  private boolean submit(Task t, boolean counted) {
    lock.lock();
    try {
      if (counted) {
        arriving.decrementAndGet();
      }
      if (closed) {
        return false;
      }
      queue.add(t);
      changed.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses new work; queued work is still scored, then the booster is freed. Returns at once;
   * {@link #awaitTermination} waits.
   */
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the worker has drained the queue and freed the model. */
  public boolean awaitTermination(long millis) throws InterruptedException {
    worker.join(millis);
    return !worker.isAlive();
  }

  private void run() {
    List<Task> batch = new ArrayList<>();
    while (true) {
      batch.clear();
      Task first;
      lock.lock();
      try {
        while (queue.isEmpty() && !closed) {
          changed.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          break;
        }
        first = queue.poll();
        batch.add(first);
        if (!first.explain) {
          int rows = first.rows;
          long deadline = System.nanoTime() + policy.maxDelay().toNanos();
          while (rows < policy.maxBatchSize()) {
            Task next = queue.peek();
            if (next != null) {
              if (next.explain || rows + next.rows > policy.maxBatchSize()) {
                break;
              }
              queue.poll();
              batch.add(next);
              rows += next.rows;
              continue;
            }
            long left = deadline - System.nanoTime();
            if (closed || arriving.get() <= 0 || left <= 0) {
              break;
            }
            try {
              changed.awaitNanos(left);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              break;
            }
          }
        }
      } finally {
        lock.unlock();
      }
      if (first.explain) {
        explain(first);
      } else {
        score(batch);
      }
    }
    model.close();
    LOG.debug("model {} freed", model);
  }

  private void score(List<Task> batch) {
    int rows = 0;
    for (Task t : batch) {
      rows += t.rows;
    }
    int width = model.width();
    float[] flat;
    if (batch.size() == 1) {
      flat = batch.get(0).flat;
    } else {
      flat = new float[rows * width];
      int at = 0;
      for (Task t : batch) {
        System.arraycopy(t.flat, 0, flat, at, t.flat.length);
        at += t.flat.length;
      }
    }
    float[] p;
    try {
      p = model.predict(flat, rows);
    } catch (Throwable e) {
      for (Task t : batch) {
        t.probabilities.completeExceptionally(e);
      }
      return;
    }
    batchSizes.accept(rows);
    int at = 0;
    for (Task t : batch) {
      float[] mine = new float[t.rows];
      System.arraycopy(p, at, mine, 0, t.rows);
      at += t.rows;
      t.probabilities.complete(mine);
    }
  }

  private void explain(Task t) {
    try {
      t.explained.complete(model.explain(t.flat, t.rows));
    } catch (Throwable e) {
      t.explained.completeExceptionally(e);
    }
  }

  /** Queued work: rows to score or explain and where the answer goes. */
  private static final class Task {
    final float[] flat;
    final int rows;
    final boolean explain;
    final CompletableFuture<float[]> probabilities;
    final CompletableFuture<List<Explanation>> explained;

    @SuppressWarnings("unchecked")
    Task(float[] flat, int rows, boolean explain, CompletableFuture<?> future) {
      this.flat = flat;
      this.rows = rows;
      this.explain = explain;
      this.probabilities = explain ? null : (CompletableFuture<float[]>) future;
      this.explained = explain ? (CompletableFuture<List<Explanation>>) future : null;
    }
  }
}
