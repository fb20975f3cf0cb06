package dev.tidemark.serving.service;

import dev.tidemark.serving.model.ModelEvents;
import dev.tidemark.serving.model.ServedModel;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's metrics in the Prometheus text exposition format ({@code GET /metrics}):
 *
 * <ul>
 *   <li>{@code tidemark_requests_total{model,endpoint,code}} counter;
 *   <li>{@code tidemark_request_duration_seconds{model,endpoint}} histogram;
 *   <li>{@code tidemark_batch_size{model}} histogram (rows per model call);
 *   <li>{@code tidemark_model_load_seconds{model,version}} gauge and {@code
 *       tidemark_model_loads_total{model,result}} counter;
 *   <li>{@code tidemark_inflight_requests} gauge.
 * </ul>
 *
 * The {@code model} label only takes names of models that were served (else {@code ""}), so a
 * client cannot grow the label set with made-up names. Lock-free on the request path.
 */
public final class ServerMetrics implements ModelEvents {

  private static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10
  };
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 1024};

  private final ConcurrentHashMap<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Histogram> latency = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Histogram> batches = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Double> loadSeconds = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> loads = new ConcurrentHashMap<>();
  private final java.util.Set<String> knownModels = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();

  /** A request started. */
  public void started() {
    inFlight.incrementAndGet();
  }

  /** A request ended with {@code code} after {@code nanos}. */
  public void finished(String model, String endpoint, int code, long nanos) {
    inFlight.decrementAndGet();
    String m = model != null && knownModels.contains(model) ? model : "";
    String labels = "model=\"" + m + "\",endpoint=\"" + endpoint + "\"";
    requests.computeIfAbsent(labels + ",code=\"" + code + "\"", k -> new LongAdder()).increment();
    latency.computeIfAbsent(labels, k -> new Histogram(LATENCY_BUCKETS)).observe(nanos / 1e9);
  }

  /** Requests being handled now. */
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void loaded(ServedModel model) {
    knownModels.add(model.name());
    loadSeconds.put(
        "model=\"" + model.name() + "\",version=\"" + model.version() + "\"",
        model.loadTime().toNanos() / 1e9);
    loads
        .computeIfAbsent("model=\"" + model.name() + "\",result=\"ok\"", k -> new LongAdder())
        .increment();
  }

  @Override
  public void refused(String model, String version) {
    knownModels.add(model);
    loads
        .computeIfAbsent("model=\"" + model + "\",result=\"refused\"", k -> new LongAdder())
        .increment();
  }

  @Override
  public void batch(String model, int rows) {
    batches
        .computeIfAbsent("model=\"" + model + "\"", k -> new Histogram(BATCH_BUCKETS))
        .observe(rows);
  }

  /** The exposition text. */
  public String render() {
    StringBuilder out = new StringBuilder(4096);
    out.append("# HELP tidemark_requests_total HTTP requests by model, endpoint and status.\n");
    out.append("# TYPE tidemark_requests_total counter\n");
    sorted(requests)
        .forEach(
            (k, v) ->
                out.append("tidemark_requests_total{")
                    .append(k)
                    .append("} ")
                    .append(v.sum())
                    .append('\n'));
    out.append("# HELP tidemark_request_duration_seconds Request latency by model and endpoint.\n");
    out.append("# TYPE tidemark_request_duration_seconds histogram\n");
    sorted(latency).forEach((k, h) -> h.render(out, "tidemark_request_duration_seconds", k));
    out.append(
        "# HELP tidemark_batch_size Rows per model call (dynamic batching; one request per call with the compiled evaluator).\n");
    out.append("# TYPE tidemark_batch_size histogram\n");
    sorted(batches).forEach((k, h) -> h.render(out, "tidemark_batch_size", k));
    out.append("# HELP tidemark_model_load_seconds Time to load and check a model version.\n");
    out.append("# TYPE tidemark_model_load_seconds gauge\n");
    sorted(loadSeconds)
        .forEach(
            (k, v) ->
                out.append("tidemark_model_load_seconds{")
                    .append(k)
                    .append("} ")
                    .append(v)
                    .append('\n'));
    out.append("# HELP tidemark_model_loads_total Model version loads by result.\n");
    out.append("# TYPE tidemark_model_loads_total counter\n");
    sorted(loads)
        .forEach(
            (k, v) ->
                out.append("tidemark_model_loads_total{")
                    .append(k)
                    .append("} ")
                    .append(v.sum())
                    .append('\n'));
    out.append("# HELP tidemark_inflight_requests Requests being handled.\n");
    out.append("# TYPE tidemark_inflight_requests gauge\n");
    out.append("tidemark_inflight_requests ").append(inFlight.get()).append('\n');
    return out.toString();
  }

  private static <V> Map<String, V> sorted(Map<String, V> m) {
    return new TreeMap<>(m);
  }

  /** A cumulative histogram with fixed upper bounds. */
  private static final class Histogram {
    private final double[] bounds;
    private final LongAdder[] counts;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double[] bounds) {
      this.bounds = bounds;
      this.counts = new LongAdder[bounds.length];
      for (int i = 0; i < bounds.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double v) {
      for (int i = 0; i < bounds.length; i++) {
        if (v <= bounds[i]) {
          counts[i].increment();
          break;
        }
      }
      count.increment();
      sum.add(v);
    }

    void render(StringBuilder out, String name, String labels) {
      long cumulative = 0;
      for (int i = 0; i < bounds.length; i++) {
        cumulative += counts[i].sum();
        out.append(name)
            .append("_bucket{")
            .append(labels)
            .append(",le=\"")
            .append(bounds[i])
            .append("\"} ")
            .append(cumulative)
            .append('\n');
      }
      out.append(name)
          .append("_bucket{")
          .append(labels)
          .append(",le=\"+Inf\"} ")
          .append(count.sum())
          .append('\n');
      out.append(name).append("_sum{").append(labels).append("} ").append(sum.sum()).append('\n');
      out.append(name)
          .append("_count{")
          .append(labels)
          .append("} ")
          .append(count.sum())
          .append('\n');
    }
  }
}
