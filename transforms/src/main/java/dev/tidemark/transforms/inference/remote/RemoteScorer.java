package dev.tidemark.transforms.inference.remote;

import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.protocol.V2Trips;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.inference.ScoreOutcome;
import dev.tidemark.transforms.inference.ScoreTrips;
import dev.tidemark.transforms.inference.TripScorer;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores trips with a model server over the Open Inference Protocol V2: one {@code POST .../infer}
 * per batch (split into requests of at most {@link Settings#withMaxRowsPerRequest max rows}),
 * carrying the raw trips as one input per column ({@link V2Trips}), so that the server computes the
 * features with the {@code feature_spec.json} of the version that answers — the same {@link
 * TaxiFeatures} as training and as {@link dev.tidemark.transforms.inference.InProcessScorer} — and
 * the two give the same probabilities. The answer's {@code model_name} and {@code model_version}
 * name the outcome.
 *
 * <p>Concepts:
 *
 * <ul>
 *   <li><b>Timeout</b> per call ({@link Settings#withTimeout}, also the connect timeout).
 *   <li><b>Retries</b> of retryable failures only — connection failures, timeouts, HTTP 429 and 5xx
 *       but 501/505 — with exponential backoff and jitter ({@link RetryPolicy}). Any other status
 *       (a 400: the server refused the input) fails the batch's trips at once with the server's
 *       {@code error} message.
 *   <li><b>Circuit breaker</b> ({@link CircuitBreaker}): every attempt is one call; {@code N}
 *       consecutive failed calls open it; while open, batches fail at once with "circuit breaker
 *       open for URL …" without calling; after the open period one trial call closes or reopens it.
 *       A 4xx answer counts as a success for the breaker (the server is up; the input was bad).
 *   <li><b>Errors are data</b>: {@link #score} never throws; each trip of a failed call becomes a
 *       {@link ScoreOutcome.Failed} with a one-sentence reason, which {@link ScoreTrips} turns into
 *       a dead letter.
 *   <li><b>Feature vectors</b> ({@link ScoreOutcome.Scored#features}, for drift monitoring) are
 *       computed locally with the answering version's spec, read once per version from a model
 *       store, when one is given ({@link Settings#withFeaturesFrom}); otherwise they are empty.
 * </ul>
 *
 * <p>Metrics (namespace {@code RemoteScorer}): counters {@code remoteCalls} (HTTP attempts), {@code
 * remoteRetries}, {@code remoteFailures} (requests whose trips failed), {@code circuitOpened};
 * distribution {@code remoteCallMillis} (per attempt).
 *
 * <pre>
 * ScoreTrips.with(RemoteScorer.at("http://127.0.0.1:8080/v2/models/taxi-tips/infer")
 *     .withTimeout(Duration.ofSeconds(2))
 *     .withRetries(3, Duration.ofMillis(100), Duration.ofSeconds(2))
 *     .withCircuitBreaker(5, Duration.ofSeconds(10))
 *     .withFeaturesFrom("s3://models"))
 * </pre>
 *
 * <p>Not thread-safe beyond the {@link dev.tidemark.transforms.inference.TripScorer} contract (one
 * thread at a time); one instance, hence one breaker, per DoFn instance.
 */
public final class RemoteScorer implements TripScorer {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteScorer.class);

  /** {@code .../v2/models/{name}[/versions/{v}]/infer}. */
  private static final Pattern INFER_PATH =
      Pattern.compile(".*/v2/models/([^/]+)(?:/versions/([^/]+))?/infer");

  private final Counter remoteCalls = Metrics.counter(RemoteScorer.class, "remoteCalls");
  private final Counter remoteRetries = Metrics.counter(RemoteScorer.class, "remoteRetries");
  private final Counter remoteFailures = Metrics.counter(RemoteScorer.class, "remoteFailures");
  private final Counter circuitOpened = Metrics.counter(RemoteScorer.class, "circuitOpened");
  private final Distribution remoteCallMillis =
      Metrics.distribution(RemoteScorer.class, "remoteCallMillis");

  private final Settings settings;
  private final URI uri;
  private final String addressedVersion;
  private final ExecutorService httpThreads;
  private final HttpClient http;
  private final CircuitBreaker breaker;
  private final ModelStore featureStore;
  private final Map<String, TaxiFeatures> featuresByVersion = new HashMap<>();
  private String lastFailure = "none";

  private RemoteScorer(Settings settings, ModelStore featureStore) {
    this.settings = settings;
    this.uri = URI.create(settings.inferUrl);
    Matcher m = INFER_PATH.matcher(uri.getPath());
    this.addressedVersion = m.matches() ? m.group(2) : null;
    this.httpThreads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "remote-scorer-http");
              t.setDaemon(true);
              return t;
            });
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.timeout)
            .executor(httpThreads)
            .build();
    this.breaker = new CircuitBreaker(settings.failureThreshold, settings.openFor, settings.clock);
    this.featureStore = featureStore;
  }

  /**
   * Scores with the model server at {@code inferUrl}, the full V2 URL {@code
   * http://host:port/v2/models/{name}[/versions/{v}]/infer} (what an inference graph's {@code
   * serviceUrl} holds). Defaults: timeout 5 s, {@link RetryPolicy#DEFAULT} (3 attempts, 100 ms to 2
   * s), breaker opening after 5 consecutive failed calls for 10 s, 1024 rows per request, no
   * feature vectors.
   *
   * @throws IllegalArgumentException when {@code inferUrl} is not an http(s) V2 infer URL
   */
  public static Settings at(String inferUrl) {
    URI u;
    try {
      u = URI.create(inferUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + inferUrl, e);
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
        || u.getHost() == null
        || u.getPath() == null
        || !INFER_PATH.matcher(u.getPath()).matches()) {
      throw new IllegalArgumentException(
          "not a V2 infer URL: "
              + inferUrl
              + " (expected http://host:port/v2/models/{name}[/versions/{v}]/infer)");
    }
    return new Settings(
        inferUrl,
        Duration.ofSeconds(5),
        RetryPolicy.DEFAULT,
        5,
        Duration.ofSeconds(10),
        1024,
        null,
        null,
        ProcessingClock.system());
  }

  /**
   * How to reach the server and how patiently; immutable and serializable, it opens one {@link
   * RemoteScorer} per DoFn instance.
   */
  public static final class Settings implements TripScorer.Factory, Serializable {
    private static final long serialVersionUID = 1L;

    private final String inferUrl;
    private final Duration timeout;
    private final RetryPolicy retries;
    private final int failureThreshold;
    private final Duration openFor;
    private final int maxRowsPerRequest;
    private final String featureStore;
    private final S3Settings featureStoreS3;
    private final ProcessingClock clock;

    private Settings(
        String inferUrl,
        Duration timeout,
        RetryPolicy retries,
        int failureThreshold,
        Duration openFor,
        int maxRowsPerRequest,
        String featureStore,
        S3Settings featureStoreS3,
        ProcessingClock clock) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the timeout must be positive: " + timeout);
      }
      if (maxRowsPerRequest < 1) {
        throw new IllegalArgumentException(
            "max rows per request must be at least 1: " + maxRowsPerRequest);
      }
      // Checked here, on the driver, rather than at open() on a worker.
      new CircuitBreaker(failureThreshold, openFor, clock);
      this.inferUrl = inferUrl;
      this.timeout = timeout;
      this.retries = retries;
      this.failureThreshold = failureThreshold;
      this.openFor = openFor;
      this.maxRowsPerRequest = maxRowsPerRequest;
      this.featureStore = featureStore;
      this.featureStoreS3 = featureStoreS3;
      this.clock = clock;
    }

    /** Gives up a call (connect, send, first byte of the answer) after {@code t}. */
    public Settings withTimeout(Duration t) {
      return new Settings(
          inferUrl,
          t,
          retries,
          failureThreshold,
          openFor,
          maxRowsPerRequest,
          featureStore,
          featureStoreS3,
          clock);
    }

    /**
     * At most {@code maxAttempts} calls per request (1 = no retry), pausing between them as {@link
     * RetryPolicy} says.
     */
    public Settings withRetries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
      return new Settings(
          inferUrl,
          timeout,
          new RetryPolicy(maxAttempts, initialBackoff, maxBackoff),
          failureThreshold,
          openFor,
          maxRowsPerRequest,
          featureStore,
          featureStoreS3,
          clock);
    }

    /** Opens after {@code failureThreshold} consecutive failed calls, for {@code openFor}. */
    public Settings withCircuitBreaker(int failureThreshold, Duration openFor) {
      return new Settings(
          inferUrl,
          timeout,
          retries,
          failureThreshold,
          openFor,
          maxRowsPerRequest,
          featureStore,
          featureStoreS3,
          clock);
    }

    /** Splits batches into requests of at most {@code n} trips. */
    public Settings withMaxRowsPerRequest(int n) {
      return new Settings(
          inferUrl,
          timeout,
          retries,
          failureThreshold,
          openFor,
          n,
          featureStore,
          featureStoreS3,
          clock);
    }

    /**
     * Fills {@link ScoreOutcome.Scored#features} with the vector computed by the answering
     * version's {@code feature_spec.json}, read from the model store at {@code storeLocation} (the
     * server's repository: s3:// or a directory) once per version.
     */
    public Settings withFeaturesFrom(String storeLocation) {
      return withFeaturesFrom(storeLocation, null);
    }

    /**
     * Like {@link #withFeaturesFrom(String)}, with the object store's S3 settings ({@code null}:
     * from the worker's environment).
     */
    public Settings withFeaturesFrom(String storeLocation, S3Settings s3) {
      return new Settings(
          inferUrl,
          timeout,
          retries,
          failureThreshold,
          openFor,
          maxRowsPerRequest,
          storeLocation,
          s3,
          clock);
    }

    /** Reads time for the circuit breaker from {@code c}; tests drive it. */
    public Settings withClock(ProcessingClock c) {
      return new Settings(
          inferUrl,
          timeout,
          retries,
          failureThreshold,
          openFor,
          maxRowsPerRequest,
          featureStore,
          featureStoreS3,
          c);
    }

    /** The infer URL. */
    public String inferUrl() {
      return inferUrl;
    }

    /** The timeout per call. */
    public Duration timeout() {
      return timeout;
    }

    /** The retry policy. */
    public RetryPolicy retries() {
      return retries;
    }

    /** Opens a scorer; no call is made until the first batch. */
    @Override
    public RemoteScorer open() throws IOException {
      return new RemoteScorer(
          this,
          featureStore == null
              ? null
              : ModelStore.open(
                  featureStore, featureStoreS3 == null ? S3Settings.fromEnv() : featureStoreS3));
    }

    @Override
    public String toString() {
      return "RemoteScorer.at("
          + inferUrl
          + ") timeout "
          + timeout.toMillis()
          + " ms, "
          + retries
          + ", breaker "
          + failureThreshold
          + " failures / "
          + openFor.toMillis()
          + " ms";
    }
  }

  /** The breaker of this scorer (for tests and status). */
  public CircuitBreaker breaker() {
    return breaker;
  }

  @Override
  public List<ScoreOutcome> score(List<TaxiTrip> trips) {
    List<ScoreOutcome> out = new ArrayList<>(trips.size());
    for (int from = 0; from < trips.size(); from += settings.maxRowsPerRequest) {
      out.addAll(
          scoreRequest(
              trips.subList(from, Math.min(trips.size(), from + settings.maxRowsPerRequest))));
    }
    return out;
  }

  /** One request: its attempts, then one outcome per trip. */
  private List<ScoreOutcome> scoreRequest(List<TaxiTrip> trips) {
    byte[] body = V2Trips.request(trips);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(settings.timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    int attempts = 0;
    while (true) {
      if (!breaker.tryAcquire()) {
        return failAll(
            trips,
            "circuit breaker open for "
                + settings.inferUrl
                + " until "
                + breaker.openUntil()
                + " after "
                + breaker.failureThreshold()
                + " consecutive failed calls (last: "
                + lastFailure
                + ")");
      }
      if (attempts > 0) {
        remoteRetries.inc();
      }
      attempts++;
      Attempt a = call(request, trips.size());
      if (a.answer != null) {
        breaker.onSuccess();
        return scored(trips, a.answer);
      }
      if (!a.retryable) {
        if (Thread.currentThread().isInterrupted()) {
          return failAll(trips, "the remote call to " + settings.inferUrl + " was interrupted");
        }
        // The server answered: it is up, the request was wrong. Not a breaker failure.
        breaker.onSuccess();
        return failAll(trips, a.reason);
      }
      lastFailure = a.reason;
      if (breaker.onFailure()) {
        circuitOpened.inc();
        LOG.warn(
            "circuit breaker open for {} for {} ms after {}",
            settings.inferUrl,
            settings.openFor.toMillis(),
            a.reason);
        return failAll(
            trips,
            "the remote call to "
                + settings.inferUrl
                + " failed after "
                + attempts
                + (attempts == 1 ? " attempt: " : " attempts: ")
                + a.reason
                + " (the circuit breaker opened)");
      }
      if (attempts >= settings.retries.maxAttempts()) {
        return failAll(
            trips,
            "the remote call to "
                + settings.inferUrl
                + " failed after "
                + attempts
                + (attempts == 1 ? " attempt: " : " attempts: ")
                + a.reason);
      }
      try {
        Thread.sleep(
            settings
                .retries
                .backoff(attempts, ThreadLocalRandom.current().nextDouble())
                .toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return failAll(
            trips, "the remote call to " + settings.inferUrl + " was interrupted: " + a.reason);
      }
    }
  }

  /** What one HTTP attempt gave: an answer, or a failure and whether it is worth another try. */
  private record Attempt(V2Trips.Answer answer, String reason, boolean retryable) {}

  private Attempt call(HttpRequest request, int rows) {
    long start = System.nanoTime();
    remoteCalls.inc();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException e) {
      return new Attempt(
          null, "cannot connect within " + settings.timeout.toMillis() + " ms", true);
    } catch (HttpTimeoutException e) {
      return new Attempt(null, "no answer within " + settings.timeout.toMillis() + " ms", true);
    } catch (ConnectException e) {
      return new Attempt(null, "cannot connect (connection refused)", true);
    } catch (IOException e) {
      return new Attempt(null, describe(e), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(null, "interrupted", false);
    } finally {
      remoteCallMillis.update((System.nanoTime() - start) / 1_000_000);
    }
    int status = response.statusCode();
    if (status == 200) {
      try {
        return new Attempt(V2Trips.answer(response.body(), rows), null, false);
      } catch (IllegalArgumentException e) {
        return new Attempt(
            null,
            "the answer of " + settings.inferUrl + " cannot be read: " + e.getMessage(),
            false);
      }
    }
    String message = V2Trips.errorMessage(response.body());
    if (retryable(status)) {
      return new Attempt(null, "HTTP " + status + ": " + message, true);
    }
    return new Attempt(
        null,
        "the server at "
            + settings.inferUrl
            + " refused the request (HTTP "
            + status
            + "): "
            + message,
        false);
  }

  /** Retryable statuses: too many requests, and server errors but "not implemented" ones. */
  static boolean retryable(int status) {
    return status == 429 || (status >= 500 && status != 501 && status != 505);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private List<ScoreOutcome> failAll(List<TaxiTrip> trips, String reason) {
    remoteFailures.inc();
    return new ArrayList<>(Collections.nCopies(trips.size(), new ScoreOutcome.Failed(reason)));
  }

  private List<ScoreOutcome> scored(List<TaxiTrip> trips, V2Trips.Answer answer) {
    String version =
        answer.version() != null
            ? answer.version()
            : addressedVersion != null ? addressedVersion : "unknown";
    TaxiFeatures features = features(answer.model(), version);
    List<ScoreOutcome> out = new ArrayList<>(trips.size());
    for (int i = 0; i < trips.size(); i++) {
      float[] vector = new float[0];
      if (features != null) {
        try {
          vector = features.vector(trips.get(i));
        } catch (RuntimeException e) {
          // The server scored the trip; only the monitoring vector is missing.
          vector = new float[0];
        }
      }
      out.add(new ScoreOutcome.Scored(answer.probabilities()[i], answer.model(), version, vector));
    }
    return out;
  }

  /** The feature computation of {@code model}/{@code version}, or null without a store. */
  private TaxiFeatures features(String model, String version) {
    if (featureStore == null) {
      return null;
    }
    String key = model + "/" + version;
    if (!featuresByVersion.containsKey(key)) {
      TaxiFeatures f = null;
      try {
        f =
            new TaxiFeatures(
                FeatureSpec.fromJson(
                    featureStore.readText(model, version, ModelFiles.FEATURE_SPEC)));
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "no feature vectors for {}: its feature spec cannot be read from {}: {}",
            key,
            settings.featureStore,
            e.toString());
      }
      featuresByVersion.put(key, f);
    }
    return featuresByVersion.get(key);
  }

  @Override
  public void close() {
    httpThreads.shutdownNow();
    if (featureStore != null) {
      try {
        featureStore.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
