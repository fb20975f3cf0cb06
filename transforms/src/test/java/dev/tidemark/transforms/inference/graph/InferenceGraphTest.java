package dev.tidemark.transforms.inference.graph;

import static dev.tidemark.transforms.inference.graph.Trips.trip;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.fixtures.TipModels;
import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.inference.ScoreOutcome;
import dev.tidemark.transforms.inference.StepOutput;
import dev.tidemark.transforms.inference.TripScorer;
import dev.tidemark.transforms.inference.graph.TestScorers.FareScorer;
import dev.tidemark.transforms.inference.graph.TestScorers.Recorded;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The four routers on batches of trips: Splitter shares by trip id, Switch first match and no
 * match, Sequence cascade and dependencies, Ensemble shadow mode, nesting, and one call per leaf
 * per batch. Leaves are deterministic test scorers (probability = fare / 100) except where the
 * model matters (real models trained on the shipped sample).
 */
public class InferenceGraphTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String HEAD =
      "apiVersion: serving.kserve.io/v1alpha1\n"
          + "kind: InferenceGraph\n"
          + "metadata: {name: test}\n"
          + "spec:\n"
          + "  nodes:\n";

  private static final FareScorer CHAMPION = FareScorer.of("taxi-tips", "v2");
  private static final FareScorer CHALLENGER = new FareScorer("taxi-tips", "v1", 0.125, 1e9);

  /** Leaf scorers by target, and the batch sizes each was called with. */
  private final Map<String, TripScorer.Factory> leaves = new HashMap<>();

  private final Map<String, List<Integer>> calls = new HashMap<>();

  private void leaf(String target, FareScorer scorer) {
    List<Integer> batches = new ArrayList<>();
    calls.put(target, batches);
    leaves.put(target, new Recorded(scorer, batches));
  }

  private InferenceGraph graph(String nodes) throws IOException {
    StepResolver resolver = step -> leaves.get(step.service());
    return InferenceGraph.factory(InferenceGraphSpec.parse("test.yaml", HEAD + nodes), resolver)
        .open();
  }

  /** {@code <probability> <model>@<version> [steps]} or {@code FAILED <reason>}. */
  private static String describe(ScoreOutcome o) {
    if (o instanceof ScoreOutcome.Scored s) {
      StringBuilder b = new StringBuilder();
      b.append(s.probability()).append(' ').append(s.model()).append('@').append(s.version());
      for (StepOutput x : s.steps()) {
        b.append(" [").append(x.step()).append(' ').append(x.version()).append(' ');
        b.append(x.probability()).append(']');
      }
      return b.toString();
    }
    return "FAILED " + ((ScoreOutcome.Failed) o).reason();
  }

  private static List<String> describe(List<ScoreOutcome> outcomes) {
    return outcomes.stream().map(InferenceGraphTest::describe).toList();
  }

  /** {@code n} trips with distinct ids (fares 10.00, 10.01, ...). */
  private static List<TaxiTrip> manyTrips(int n) {
    List<TaxiTrip> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          trip(10 + i / 100.0, 1.0 + i % 7, i % 3 == 0 ? "Cash" : "Credit Card", Trips.TEN_AM + i));
    }
    return out;
  }

  /**
   * 10,000 trips through a 90/10 Splitter: each trip gets one answer, the shares are within one
   * point of the weights, each leaf is called once, and a replay routes every trip the same way.
   */
  @Test
  public void splitterSharesFollowTheWeightsAndReplaysRouteTheSameWay() throws IOException {
    leaf("taxi-tips", CHAMPION);
    leaf("taxi-tips@v1", CHALLENGER);
    String spec =
        "    root:\n      routerType: Splitter\n      steps:\n"
            + "        - {name: champion, serviceName: taxi-tips, weight: 90}\n"
            + "        - {name: challenger, serviceName: taxi-tips@v1, weight: 10}\n";
    List<TaxiTrip> trips = manyTrips(10_000);
    List<String> first;
    List<String> second;
    try (InferenceGraph g = graph(spec)) {
      first = describe(g.score(trips));
      second = describe(g.score(trips));
    }

    long challenger = first.stream().filter(s -> s.contains("[challenger ")).count();
    long champion = first.stream().filter(s -> s.contains("[champion ")).count();
    assertThat(champion + challenger, equalTo(10_000L));
    assertThat((double) challenger, closeTo(1_000, 100));
    assertThat(second, equalTo(first));
    assertThat(calls.get("taxi-tips"), contains((int) champion, (int) champion));
    assertThat(calls.get("taxi-tips@v1"), contains((int) challenger, (int) challenger));
  }

  /** The bucket of a trip is its 64-bit id modulo 100, the same for every graph and every run. */
  @Test
  public void splitterBucketIsTheTripIdModulo100() {
    assertThat(InferenceGraph.bucket("0000000000000000"), equalTo(0));
    assertThat(InferenceGraph.bucket("0000000000000063"), equalTo(99));
    assertThat(InferenceGraph.bucket("0000000000000064"), equalTo(0));
    // 2^64 - 1 = 18446744073709551615, unsigned: 15 modulo 100.
    assertThat(InferenceGraph.bucket("ffffffffffffffff"), equalTo(15));
  }

  /**
   * A Switch routes each trip to its first matching step (no condition = the default), calling each
   * leaf once with its trips.
   */
  @Test
  public void switchTakesTheFirstMatchingStepAndTheDefaultLast() throws IOException {
    leaf("cash", FareScorer.of("cash-model", "1"));
    leaf("long", FareScorer.of("long-model", "1"));
    leaf("rest", FareScorer.of("rest-model", "1"));
    String spec =
        "    root:\n      routerType: Switch\n      steps:\n"
            + "        - {name: cash, serviceName: cash, condition: '[@this].#(payment_type==\"Cash\")'}\n"
            + "        - {name: long, serviceName: long, condition: '[@this].#(trip_miles>10)'}\n"
            + "        - {name: rest, serviceName: rest}\n";
    List<TaxiTrip> trips =
        List.of(
            trip(10, 12.0, "Cash", Trips.TEN_AM),
            trip(20, 12.0, "Credit Card", Trips.TEN_AM),
            trip(30, 2.0, "Credit Card", Trips.TEN_AM),
            trip(40, 2.0, "Cash", Trips.TEN_AM));
    try (InferenceGraph g = graph(spec)) {
      assertThat(
          describe(g.score(trips)),
          contains(
              "0.1 cash-model@1 [cash 1 0.1]",
              "0.2 long-model@1 [long 1 0.2]",
              "0.3 rest-model@1 [rest 1 0.3]",
              "0.4 cash-model@1 [cash 1 0.4]"));
    }
    assertThat(calls.get("cash"), contains(2));
    assertThat(calls.get("long"), contains(1));
    assertThat(calls.get("rest"), contains(1));
  }

  /** A Switch without default fails the trips no condition matches: they become dead letters. */
  @Test
  public void switchWithNoMatchingConditionFailsTheTrip() throws IOException {
    leaf("cash", FareScorer.of("cash-model", "1"));
    String spec =
        "    root:\n      routerType: Switch\n      steps:\n"
            + "        - {name: cash, serviceName: cash, condition: '[@this].#(payment_type==\"Cash\")'}\n";
    try (InferenceGraph g = graph(spec)) {
      assertThat(
          describe(g.score(List.of(trip(10, "Credit Card"), trip(20, "Cash"), trip(30, null)))),
          contains(
              "FAILED no condition of Switch node 'root' matched",
              "0.2 cash-model@1 [cash 1 0.2]",
              "FAILED no condition of Switch node 'root' matched"));
    }
    assertThat(calls.get("cash"), contains(1));
  }

  /**
   * Cascade: the champion answers every trip; the challenger is asked only where the champion is
   * unsure (0.4 ≤ p < 0.6), and then its answer is the prediction; both answers are in steps.
   */
  @Test
  public void sequenceAsksTheChallengerOnlyWhenTheChampionIsUnsure() throws IOException {
    leaf("taxi-tips", CHAMPION);
    leaf("taxi-tips@v1", CHALLENGER);
    String spec =
        "    root:\n      routerType: Sequence\n      steps:\n"
            + "        - {name: champion, serviceName: taxi-tips}\n"
            + "        - name: challenger\n"
            + "          serviceName: taxi-tips@v1\n"
            + "          condition: '[@this].#(probability>=0.4)#|#(probability<0.6)'\n";
    try (InferenceGraph g = graph(spec)) {
      assertThat(
          describe(g.score(List.of(trip(25, "Cash"), trip(50, "Cash"), trip(75, "Cash")))),
          contains(
              "0.25 taxi-tips@v2 [champion v2 0.25]",
              "0.625 taxi-tips@v1 [champion v2 0.5] [challenger v1 0.625]",
              "0.75 taxi-tips@v2 [champion v2 0.75]"));
    }
    assertThat(calls.get("taxi-tips"), contains(3));
    assertThat(calls.get("taxi-tips@v1"), contains(1));
  }

  /**
   * $response passes the previous answer to the conditions of the next node: a Switch on the
   * champion's probability, reached from a Sequence.
   */
  @Test
  public void responseDataLetsANestedSwitchReadThePreviousAnswer() throws IOException {
    leaf("taxi-tips", CHAMPION);
    leaf("taxi-tips@v1", CHALLENGER);
    String spec =
        "    root:\n      routerType: Sequence\n      steps:\n"
            + "        - {name: champion, serviceName: taxi-tips}\n"
            + "        - {name: second-opinion, nodeName: low, data: $response}\n"
            + "    low:\n      routerType: Switch\n      steps:\n"
            + "        - {name: challenger, serviceName: taxi-tips@v1, condition: '[@this].#(probability<0.3)'}\n";
    try (InferenceGraph g = graph(spec)) {
      assertThat(
          describe(g.score(List.of(trip(20, "Cash"), trip(60, "Cash")))),
          contains(
              "0.325 taxi-tips@v1 [champion v2 0.2] [challenger v1 0.325]",
              // The Switch found no match for the second trip: a Soft step (the default), so the
              // sequence keeps the champion's answer.
              "0.6 taxi-tips@v2 [champion v2 0.6]"));
    }
  }

  /** In a Sequence, a Hard step's failure fails the trip; a Soft step's is skipped. */
  @Test
  public void sequenceHardFailureFailsTheTripSoftFailureIsSkipped() throws IOException {
    leaf("fussy", new FareScorer("fussy", "1", 0, 50));
    leaf("taxi-tips", CHAMPION);
    String soft =
        "    root:\n      routerType: Sequence\n      steps:\n"
            + "        - {name: first, serviceName: taxi-tips}\n"
            + "        - {name: fussy, serviceName: fussy}\n";
    try (InferenceGraph g = graph(soft)) {
      assertThat(
          describe(g.score(List.of(trip(20, "Cash"), trip(60, "Cash")))),
          contains("0.2 fussy@1 [first v2 0.2] [fussy 1 0.2]", "0.6 taxi-tips@v2 [first v2 0.6]"));
    }
    try (InferenceGraph g =
        graph(soft.replace("serviceName: fussy}", "serviceName: fussy, dependency: Hard}"))) {
      assertThat(
          describe(g.score(List.of(trip(20, "Cash"), trip(60, "Cash")))),
          contains(
              "0.2 fussy@1 [first v2 0.2] [fussy 1 0.2]",
              "FAILED step 'fussy' of node 'root': model refused"));
    }
  }

  /**
   * Shadow mode: an Ensemble's first step is the answer, the second's rides along in steps; both
   * leaves score the whole batch in one call each.
   */
  @Test
  public void ensembleAnswersWithThePrimaryAndCarriesTheShadow() throws IOException {
    leaf("taxi-tips", CHAMPION);
    leaf("taxi-tips@v1", CHALLENGER);
    String spec =
        "    root:\n      routerType: Ensemble\n      steps:\n"
            + "        - {name: champion, serviceName: taxi-tips}\n"
            + "        - {name: challenger, serviceName: taxi-tips@v1}\n";
    try (InferenceGraph g = graph(spec)) {
      assertThat(
          describe(g.score(List.of(trip(25, "Cash"), trip(50, "Cash")))),
          contains(
              "0.25 taxi-tips@v2 [champion v2 0.25] [challenger v1 0.375]",
              "0.5 taxi-tips@v2 [champion v2 0.5] [challenger v1 0.625]"));
    }
    assertThat(calls.get("taxi-tips"), contains(2));
    assertThat(calls.get("taxi-tips@v1"), contains(2));
  }

  /**
   * A failing Soft shadow is left out of steps; a failing Hard one fails the trip; a failing
   * primary fails the trip whatever its dependency.
   */
  @Test
  public void ensembleFailuresFollowTheDependency() throws IOException {
    leaf("taxi-tips", CHAMPION);
    leaf("fussy", new FareScorer("fussy", "1", 0, 50));
    String shadow =
        "    root:\n      routerType: Ensemble\n      steps:\n"
            + "        - {name: champion, serviceName: taxi-tips}\n"
            + "        - {name: fussy, serviceName: fussy}\n";
    List<TaxiTrip> trips = List.of(trip(20, "Cash"), trip(60, "Cash"));
    try (InferenceGraph g = graph(shadow)) {
      assertThat(
          describe(g.score(trips)),
          contains(
              "0.2 taxi-tips@v2 [champion v2 0.2] [fussy 1 0.2]",
              "0.6 taxi-tips@v2 [champion v2 0.6]"));
    }
    try (InferenceGraph g = graph(shadow.replace("fussy}", "fussy, dependency: Hard}"))) {
      assertThat(
          describe(g.score(trips)),
          contains(
              "0.2 taxi-tips@v2 [champion v2 0.2] [fussy 1 0.2]",
              "FAILED step 'fussy' of node 'root': model refused"));
    }
    String primaryFails =
        "    root:\n      routerType: Ensemble\n      steps:\n"
            + "        - {name: fussy, serviceName: fussy}\n"
            + "        - {name: champion, serviceName: taxi-tips}\n";
    try (InferenceGraph g = graph(primaryFails)) {
      assertThat(
          describe(g.score(trips)),
          contains(
              "0.2 fussy@1 [fussy 1 0.2] [champion v2 0.2]",
              "FAILED step 'fussy' of node 'root': model refused"));
    }
  }

  /** A leaf whose scorer throws fails its trips with the step, node and exception. */
  @Test
  public void aThrowingLeafFailsItsTripsNotTheBatch() throws IOException {
    leaf("taxi-tips", CHAMPION);
    leaves.put("broken", new TestScorers.Throwing("connection refused"));
    String spec =
        "    root:\n      routerType: Switch\n      steps:\n"
            + "        - {name: broken, serviceName: broken, condition: '[@this].#(fare>50)'}\n"
            + "        - {name: champion, serviceName: taxi-tips}\n";
    try (InferenceGraph g = graph(spec)) {
      assertThat(
          describe(g.score(List.of(trip(20, "Cash"), trip(60, "Cash")))),
          contains(
              "0.2 taxi-tips@v2 [champion v2 0.2]",
              "FAILED step 'broken' of node 'root' failed: java.lang.IllegalStateException:"
                  + " connection refused"));
    }
  }

  /**
   * A Splitter whose second step is a Switch node: every trip gets one answer, and each of the
   * three leaves is called once for the batch of 1,000 trips.
   */
  @Test
  public void nestedNodesKeepOneCallPerLeafPerBatch() throws IOException {
    leaf("taxi-tips", CHAMPION);
    leaf("cash", FareScorer.of("cash-model", "1"));
    leaf("card", FareScorer.of("card-model", "1"));
    String spec =
        "    root:\n      routerType: Splitter\n      steps:\n"
            + "        - {name: champion, serviceName: taxi-tips, weight: 50}\n"
            + "        - {name: by-payment, nodeName: by-payment, weight: 50}\n"
            + "    by-payment:\n      routerType: Switch\n      steps:\n"
            + "        - {name: cash, serviceName: cash, condition: '[@this].#(payment_type==\"Cash\")'}\n"
            + "        - {name: card, serviceName: card}\n";
    List<TaxiTrip> trips = manyTrips(1_000);
    List<String> out;
    try (InferenceGraph g = graph(spec)) {
      out = describe(g.score(trips));
    }
    assertThat(out.stream().filter(s -> s.startsWith("FAILED")).toList(), empty());
    int champion = (int) out.stream().filter(s -> s.contains("[champion ")).count();
    int cash = (int) out.stream().filter(s -> s.contains("[cash ")).count();
    int card = (int) out.stream().filter(s -> s.contains("[card ")).count();
    assertThat(champion + cash + card, equalTo(1_000));
    assertThat(calls.get("taxi-tips"), contains(champion));
    assertThat(calls.get("cash"), contains(cash));
    assertThat(calls.get("card"), contains(card));
    // Every third trip pays cash; of those the Splitter sends about half to the Switch.
    for (int i = 0; i < trips.size(); i++) {
      if (out.get(i).contains("[cash ")) {
        assertThat(trips.get(i).paymentType(), equalTo("Cash"));
      }
    }
  }

  /** A serviceUrl step needs a remote scorer: the default resolver says how to plug one in. */
  @Test
  public void urlStepsNeedAUrlResolver() {
    InferenceGraphSpec spec =
        InferenceGraphSpec.parse(
            "test.yaml",
            HEAD
                + "    root:\n      routerType: Sequence\n      steps:\n"
                + "        - {name: remote, serviceUrl: 'http://127.0.0.1:8080/v2/models/m/infer'}\n");
    StepResolver models =
        StepResolver.models("/nowhere", Duration.ofSeconds(10), ProcessingClock.system());
    String message =
        assertThrows(IllegalArgumentException.class, () -> InferenceGraph.factory(spec, models))
            .getMessage();
    assertThat(
        message,
        equalTo(
            "step 'remote' calls http://127.0.0.1:8080/v2/models/m/infer, and no remote scorer"
                + " was given for serviceUrl steps (StepResolver.withUrls)"));
    List<String> asked = new ArrayList<>();
    InferenceGraph.factory(
        spec,
        models.withUrls(
            url -> {
              asked.add(url);
              return TestScorers.FareScorer.of("remote", "1");
            }));
    assertThat(asked, contains("http://127.0.0.1:8080/v2/models/m/infer"));
  }

  /**
   * The factory of a graph of in-process models travels with the pipeline: a serialized copy opens
   * the same graph on a worker.
   */
  @Test
  public void theFactoryOfInProcessModelsIsSerializable() throws IOException {
    String store = TMP.newFolder().getAbsolutePath();
    TipModels.publish(store, "20261127T090000Z", TipModels.train(TipModels.trips(200), 5));
    InferenceGraphSpec spec =
        InferenceGraphSpec.parse(Path.of("..", "docs", "graphs", "switch-by-payment.yaml"));
    InferenceGraph.Factory factory =
        InferenceGraph.factory(
            spec,
            StepResolver.models(store, Duration.ofSeconds(10), ProcessingClock.system())
                .withUrls(url -> TestScorers.FareScorer.of("remote", "1")));

    InferenceGraph.Factory copy = SerializableUtils.clone(factory);
    try (InferenceGraph g = copy.open()) {
      assertThat(
          describe(g.score(List.of(trip(10, 12.0, "Credit Card", Trips.TEN_AM)))),
          contains("0.1 remote@1 [long-trips 1 0.1]"));
      ScoreOutcome.Scored cash = (ScoreOutcome.Scored) g.score(List.of(trip(10, "Cash"))).get(0);
      assertThat(cash.version(), equalTo("20261127T090000Z"));
      assertThat(cash.steps().get(0).step(), equalTo("cash"));
    }
  }

  /**
   * Real models: a shadow Ensemble of the newest version (v2, in process) and a pinned v1 gives
   * each trip exactly the probabilities of scoring it alone with each version.
   */
  @Test
  public void realModelsInShadowModeAnswerAsEachVersionAlone() throws IOException {
    List<TaxiTrip> trips = TipModels.trips(400);
    Map<String, byte[]> v1 = TipModels.train(trips.subList(0, 300), 10);
    Map<String, byte[]> v2 = TipModels.train(trips.subList(100, 400), 20);
    String store = TMP.newFolder().getAbsolutePath();
    TipModels.publish(store, "20261127T090000Z", v1);
    TipModels.publish(store, "20261127T100000Z", v2);
    InferenceGraphSpec spec =
        InferenceGraphSpec.parse(
            "test.yaml",
            HEAD
                + "    root:\n      routerType: Ensemble\n      steps:\n"
                + "        - {name: champion, serviceName: taxi-tips}\n"
                + "        - {name: challenger, serviceName: taxi-tips@20261127T090000Z}\n");
    List<TaxiTrip> input = trips.subList(0, 100);
    Map<String, Float> alone1 = TipModels.oneByOne(v1, input);
    Map<String, Float> alone2 = TipModels.oneByOne(v2, input);

    List<ScoreOutcome> out;
    try (TripScorer g =
        InferenceGraph.factory(
                spec, StepResolver.models(store, Duration.ofMinutes(1), ProcessingClock.system()))
            .open()) {
      out = g.score(input);
    }
    for (int i = 0; i < input.size(); i++) {
      String id = TripSplit.tripId(input.get(i));
      ScoreOutcome.Scored s = (ScoreOutcome.Scored) out.get(i);
      assertThat(s.version(), equalTo("20261127T100000Z"));
      assertThat((float) s.probability(), equalTo(alone2.get(id)));
      assertThat(s.features().length > 0, is(true));
      assertThat(
          s.steps(),
          contains(
              new StepOutput("champion", "taxi-tips", "20261127T100000Z", s.probability()),
              new StepOutput(
                  "challenger", "taxi-tips", "20261127T090000Z", s.steps().get(1).probability())));
      assertThat((float) s.steps().get(1).probability(), equalTo(alone1.get(id)));
    }
  }
}
