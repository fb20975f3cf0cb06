package dev.tidemark.transforms.inference.remote;

import static dev.tidemark.core.fixtures.Trips.BARE_NIGHT_TRIP;
import static dev.tidemark.core.fixtures.Trips.LOOP_CARD_TRIP;
import static dev.tidemark.core.fixtures.Trips.OHARE_CASH_TRIP;
import static dev.tidemark.transforms.inference.remote.ScriptedServer.hang;
import static dev.tidemark.transforms.inference.remote.ScriptedServer.status;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.inference.ScoreOutcome;
import dev.tidemark.transforms.inference.remote.CircuitBreaker.State;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.Test;

/**
 * Timeouts, retries and the circuit breaker of {@link RemoteScorer} against a real HTTP server that
 * answers from a script: how many calls go out, and what every trip's outcome says.
 */
public class RemoteScorerTest {

  private static final Instant TEN_O_CLOCK = Instant.parse("2026-11-27T10:00:00Z");
  private static final String VERSION = "20261127T090000Z";

  private static final List<TaxiTrip> THREE_TRIPS =
      List.of(LOOP_CARD_TRIP, OHARE_CASH_TRIP, BARE_NIGHT_TRIP);

  private static String answer(String probabilities, int n) {
    return "{\"model_name\":\"taxi-tips\",\"model_version\":\""
        + VERSION
        + "\",\"outputs\":[{\"name\":\"probability\",\"datatype\":\"FP32\",\"shape\":["
        + n
        + "],\"data\":["
        + probabilities
        + "]}]}";
  }

  private static final String THREE_ANSWERS = answer("0.25,0.5,0.75", 3);
  private static final String BUSY = "{\"error\":\"server busy\"}";

  private final ManualClock clock = new ManualClock(TEN_O_CLOCK);

  private RemoteScorer.Settings settings(ScriptedServer server) {
    return RemoteScorer.at(server.inferUrl())
        .withTimeout(Duration.ofSeconds(2))
        .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(40))
        .withCircuitBreaker(5, Duration.ofSeconds(30))
        .withClock(clock);
  }

  /** Each outcome as one line: "0.25 taxi-tips/v" or "FAILED reason". */
  private static List<String> lines(List<ScoreOutcome> outcomes) {
    List<String> out = new ArrayList<>();
    for (ScoreOutcome o : outcomes) {
      if (o instanceof ScoreOutcome.Scored s) {
        out.add(s.probability() + " " + s.model() + "/" + s.version());
      } else {
        out.add("FAILED " + ((ScoreOutcome.Failed) o).reason());
      }
    }
    return out;
  }

  private static List<String> times(int n, String line) {
    return Collections.nCopies(n, line);
  }

  /** Two 503s are retried; the third call's answer scores the whole batch. */
  @Test
  public void retriesTwoServiceUnavailableAnswersThenScoresTheBatch() throws Exception {
    try (ScriptedServer server =
            ScriptedServer.start(status(503, BUSY), status(503, BUSY), status(200, THREE_ANSWERS));
        RemoteScorer scorer = settings(server).open()) {
      List<ScoreOutcome> outcomes = scorer.score(THREE_TRIPS);
      assertEquals(3, server.calls());
      assertEquals(
          List.of(
              "0.25 taxi-tips/" + VERSION, "0.5 taxi-tips/" + VERSION, "0.75 taxi-tips/" + VERSION),
          lines(outcomes));
      assertEquals(State.CLOSED, scorer.breaker().state());
    }
  }

  /** A 429 is retried like a 503. */
  @Test
  public void tooManyRequestsIsRetried() throws Exception {
    try (ScriptedServer server =
            ScriptedServer.start(
                status(429, "{\"error\":\"slow down\"}"), status(200, THREE_ANSWERS));
        RemoteScorer scorer = settings(server).open()) {
      assertEquals("0.25 taxi-tips/" + VERSION, lines(scorer.score(THREE_TRIPS)).get(0));
      assertEquals(2, server.calls());
    }
  }

  /** Three 503s exhaust the attempts: every trip fails with the last answer's message. */
  @Test
  public void exhaustedRetriesFailEveryTripWithTheLastReason() throws Exception {
    try (ScriptedServer server = ScriptedServer.start(status(503, BUSY));
        RemoteScorer scorer = settings(server).open()) {
      List<ScoreOutcome> outcomes = scorer.score(THREE_TRIPS);
      assertEquals(3, server.calls());
      assertEquals(
          times(
              3,
              "FAILED the remote call to "
                  + server.inferUrl()
                  + " failed after 3 attempts: HTTP 503: server busy"),
          lines(outcomes));
    }
  }

  /** A 400 means bad input: no retry, and the trips fail with the server's own message. */
  @Test
  public void aBadRequestIsNotRetriedAndFailsWithTheServersMessage() throws Exception {
    try (ScriptedServer server =
            ScriptedServer.start(
                status(400, "{\"error\":\"trip 1: fare is not a number: 'x'\"}"),
                status(200, THREE_ANSWERS));
        RemoteScorer scorer = settings(server).open()) {
      List<ScoreOutcome> outcomes = scorer.score(THREE_TRIPS);
      assertEquals(1, server.calls());
      assertEquals(
          times(
              3,
              "FAILED the server at "
                  + server.inferUrl()
                  + " refused the request (HTTP 400): trip 1: fare is not a number: 'x'"),
          lines(outcomes));
      assertEquals("a 400 is no breaker failure", 0, scorer.breaker().consecutiveFailures());
    }
  }

  /** A server that does not answer within the timeout is retried, then the trips fail. */
  @Test
  public void aCallHangingPastTheTimeoutIsRetriedThenTheTripsFail() throws Exception {
    try (ScriptedServer server = ScriptedServer.start(hang());
        RemoteScorer scorer =
            settings(server)
                .withTimeout(Duration.ofMillis(300))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(10))
                .open()) {
      long start = System.nanoTime();
      List<ScoreOutcome> outcomes = scorer.score(THREE_TRIPS);
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(2, server.calls());
      assertEquals(
          times(
              3,
              "FAILED the remote call to "
                  + server.inferUrl()
                  + " failed after 2 attempts: no answer within 300 ms"),
          lines(outcomes));
      assertThat("two timeouts", tookMillis, greaterThanOrEqualTo(600L));
    }
  }

  /** Nothing listens on the port: the connection is refused on every attempt. */
  @Test
  public void aDeadPortFailsEveryTripWithTheConnectionReason() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/v2/models/taxi-tips/infer";
    try (RemoteScorer scorer =
        RemoteScorer.at(url).withRetries(2, Duration.ofMillis(10), Duration.ofMillis(10)).open()) {
      assertEquals(
          times(
              3,
              "FAILED the remote call to "
                  + url
                  + " failed after 2 attempts: cannot connect (connection refused)"),
          lines(scorer.score(THREE_TRIPS)));
    }
  }

  /**
   * With a threshold of 2, the second failed attempt opens the breaker and ends the retries; the
   * next batch fails at once without a call, until the open period has passed.
   */
  @Test
  public void anOpenBreakerFailsBatchesFastWithoutCallingTheServer() throws Exception {
    try (ScriptedServer server = ScriptedServer.start(status(503, BUSY));
        RemoteScorer scorer =
            settings(server).withCircuitBreaker(2, Duration.ofSeconds(30)).open()) {
      assertEquals(
          times(
              3,
              "FAILED the remote call to "
                  + server.inferUrl()
                  + " failed after 2 attempts: HTTP 503: server busy (the circuit breaker"
                  + " opened)"),
          lines(scorer.score(THREE_TRIPS)));
      assertEquals(2, server.calls());

      clock.advance(Duration.ofSeconds(29));
      assertEquals(
          times(
              3,
              "FAILED circuit breaker open for "
                  + server.inferUrl()
                  + " until 2026-11-27T10:00:30Z after 2 consecutive failed calls (last: HTTP"
                  + " 503: server busy)"),
          lines(scorer.score(THREE_TRIPS)));
      assertEquals("no call while open", 2, server.calls());
    }
  }

  /** After the open period one trial call goes out; its success closes the breaker. */
  @Test
  public void aSuccessfulTrialAfterTheOpenPeriodClosesTheBreaker() throws Exception {
    try (ScriptedServer server =
            ScriptedServer.start(status(503, BUSY), status(200, THREE_ANSWERS));
        RemoteScorer scorer =
            settings(server)
                .withRetries(1, Duration.ZERO, Duration.ZERO)
                .withCircuitBreaker(1, Duration.ofSeconds(10))
                .open()) {
      assertThat(lines(scorer.score(THREE_TRIPS)).get(0), containsString("breaker opened"));
      assertThat(lines(scorer.score(THREE_TRIPS)).get(0), containsString("breaker open for"));
      assertEquals(1, server.calls());

      clock.advance(Duration.ofSeconds(10));
      assertEquals(State.HALF_OPEN, scorer.breaker().state());
      assertEquals("0.25 taxi-tips/" + VERSION, lines(scorer.score(THREE_TRIPS)).get(0));
      assertEquals(2, server.calls());
      assertEquals(State.CLOSED, scorer.breaker().state());
    }
  }

  /** A batch larger than the rows per request goes out as several requests, answers in order. */
  @Test
  public void aBatchLargerThanMaxRowsGoesOutAsSeveralRequests() throws Exception {
    try (ScriptedServer server =
            ScriptedServer.start(
                status(200, answer("0.25,0.5", 2)), status(200, answer("0.75", 1)));
        RemoteScorer scorer = settings(server).withMaxRowsPerRequest(2).open()) {
      assertEquals(
          List.of(
              "0.25 taxi-tips/" + VERSION, "0.5 taxi-tips/" + VERSION, "0.75 taxi-tips/" + VERSION),
          lines(scorer.score(THREE_TRIPS)));
      assertEquals(2, server.calls());
      assertThat(server.requests().get(0), containsString("\"shape\":[2]"));
      assertThat(server.requests().get(1), containsString("\"shape\":[1]"));
    }
  }

  /** An answer with the wrong number of probabilities fails the trips; it is not retried. */
  @Test
  public void anAnswerWithTheWrongRowCountFailsTheTrips() throws Exception {
    try (ScriptedServer server = ScriptedServer.start(status(200, answer("0.25,0.5", 2)));
        RemoteScorer scorer = settings(server).open()) {
      assertEquals(
          times(
              3,
              "FAILED the answer of "
                  + server.inferUrl()
                  + " cannot be read: the answer has 2 probabilities for 3 trips"),
          lines(scorer.score(THREE_TRIPS)));
      assertEquals(1, server.calls());
    }
  }

  /** A URL that is not a V2 infer URL is refused when the pipeline is built. */
  @Test
  public void aUrlThatIsNotAV2InferUrlIsRefused() {
    IllegalArgumentException e =
        org.junit.Assert.assertThrows(
            IllegalArgumentException.class,
            () -> RemoteScorer.at("http://127.0.0.1:8080/v1/models/taxi-tips:predict"));
    assertEquals(
        "not a V2 infer URL: http://127.0.0.1:8080/v1/models/taxi-tips:predict (expected"
            + " http://host:port/v2/models/{name}[/versions/{v}]/infer)",
        e.getMessage());
  }
}
