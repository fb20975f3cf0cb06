package dev.tidemark.transforms.inference.graph;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.inference.ScoreOutcome;
import dev.tidemark.transforms.inference.StepOutput;
import dev.tidemark.transforms.inference.TripScorer;
import dev.tidemark.transforms.inference.graph.InferenceGraphSpec.Data;
import dev.tidemark.transforms.inference.graph.InferenceGraphSpec.Dependency;
import dev.tidemark.transforms.inference.graph.InferenceGraphSpec.Node;
import dev.tidemark.transforms.inference.graph.InferenceGraphSpec.Step;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * An inference graph ({@link InferenceGraphSpec}) run in process, a batch of trips at a time: it is
 * itself a {@link TripScorer}, so {@code ScoreTrips.with(InferenceGraph.factory(spec, resolver))}
 * scores a stream through it. Each leaf step's scorer is called once per visit of its node with the
 * sub-batch routed to it, so batching survives routing.
 *
 * <p>Routers (details and the differences from KServe's router in docs/inference-graph.md):
 *
 * <ul>
 *   <li>{@code Sequence}: steps in order; the answer is the last step that answered. A later step's
 *       {@code condition} reads the previous response (plus the trip); when it does not match the
 *       sequence stops there, with the answer so far (KServe's router does the same). {@code data:
 *       $response} makes the previous response ({@code probability}, {@code model}, {@code
 *       version}) visible to the conditions of the node the step calls; models always score the
 *       trip. A {@code Hard} step's failure fails the trip; a {@code Soft} one (the default) is
 *       skipped.
 *   <li>{@code Switch}: the first step whose condition matches (no condition = default). No match:
 *       the trip fails with {@code no condition of Switch node '<n>' matched}, so it becomes a dead
 *       letter (KServe's router answers HTTP 404 "None of the routes matched with the switch
 *       condition").
 *   <li>{@code Ensemble}: every step scores every trip; the first step is the primary and gives the
 *       answer (a failure of the primary fails the trip); the others are shadows whose answers ride
 *       along in {@code steps} (champion/challenger shadow mode). A {@code Hard} shadow's failure
 *       fails the trip; a {@code Soft} one is left out of {@code steps}.
 *   <li>{@code Splitter}: the trip id ({@code TripSplit.tripId}, 64 bits) modulo 100 picks the step
 *       by cumulative weight, so a replay routes every trip the same way (KServe draws a random
 *       number per request).
 * </ul>
 *
 * <p>Every answer carries in {@link ScoreOutcome.Scored#steps()} what each leaf that answered for
 * the trip said, in the order they ran. Metrics (namespace {@code InferenceGraph}): counters {@code
 * switchNoMatch}, {@code sequenceStopped}, {@code softFailuresSkipped}.
 */
public final class InferenceGraph implements TripScorer {

  private final Counter switchNoMatch = Metrics.counter(InferenceGraph.class, "switchNoMatch");
  private final Counter sequenceStopped = Metrics.counter(InferenceGraph.class, "sequenceStopped");
  private final Counter softFailures = Metrics.counter(InferenceGraph.class, "softFailuresSkipped");

  private final InferenceGraphSpec spec;
  private final Map<String, TripScorer> leaves;

  private InferenceGraph(InferenceGraphSpec spec, Map<String, TripScorer> leaves) {
    this.spec = spec;
    this.leaves = leaves;
  }

  /**
   * The factory of a graph: every leaf step is resolved now (so that a step nobody can answer fails
   * at pipeline construction), and opened on the worker. Steps with the same target ({@code
   * serviceName} or {@code serviceUrl}, as written) share one scorer.
   *
   * @throws IllegalArgumentException when {@code resolver} cannot answer for a step
   */
  public static Factory factory(InferenceGraphSpec spec, StepResolver resolver) {
    Map<String, TripScorer.Factory> leaves = new LinkedHashMap<>();
    for (Node n : spec.nodes().values()) {
      for (Step s : n.steps()) {
        if (s.service() != null && !leaves.containsKey(s.service())) {
          leaves.put(s.service(), resolver.resolve(s));
        }
      }
    }
    return new Factory(spec, leaves);
  }

  /** {@link #factory} of the spec in the YAML file {@code spec}. */
  public static Factory fromFile(Path spec, StepResolver resolver) {
    return factory(InferenceGraphSpec.parse(spec), resolver);
  }

  /** Opens a graph: one scorer per distinct leaf target. Serializable with the pipeline. */
  public static final class Factory implements TripScorer.Factory {
    private static final long serialVersionUID = 1L;

    private final InferenceGraphSpec spec;
    private final Map<String, TripScorer.Factory> leaves;

    private Factory(InferenceGraphSpec spec, Map<String, TripScorer.Factory> leaves) {
      this.spec = spec;
      this.leaves = leaves;
    }

    /** The graph this factory opens. */
    public InferenceGraphSpec spec() {
      return spec;
    }

    @Override
    public InferenceGraph open() throws IOException {
      Map<String, TripScorer> opened = new LinkedHashMap<>();
      try {
        for (Map.Entry<String, TripScorer.Factory> e : leaves.entrySet()) {
          opened.put(e.getKey(), e.getValue().open());
        }
      } catch (IOException | RuntimeException e) {
        for (TripScorer s : opened.values()) {
          try {
            s.close();
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
      return new InferenceGraph(spec, opened);
    }
  }

  /** The spec this graph runs. */
  public InferenceGraphSpec spec() {
    return spec;
  }

  @Override
  public List<ScoreOutcome> score(List<TaxiTrip> trips) {
    List<Request> requests = new ArrayList<>(trips.size());
    for (TaxiTrip t : trips) {
      requests.add(new Request(new RequestDocument(t), null));
    }
    return run(spec.root(), requests);
  }

  /** A trip on its way through the graph, with the response a condition may read. */
  private record Request(RequestDocument doc, ScoreOutcome.Scored response) {}

  private List<ScoreOutcome> run(Node node, List<Request> requests) {
    if (requests.isEmpty()) {
      return List.of();
    }
    return switch (node.routerType()) {
      case SEQUENCE -> sequence(node, requests);
      case SWITCH -> choose(node, requests);
      case ENSEMBLE -> ensemble(node, requests);
      case SPLITTER -> split(node, requests);
    };
  }

  private List<ScoreOutcome> sequence(Node node, List<Request> requests) {
    int n = requests.size();
    ScoreOutcome.Scored[] last = new ScoreOutcome.Scored[n];
    String[] hardFailure = new String[n];
    String[] softFailure = new String[n];
    boolean[] stopped = new boolean[n];
    List<List<StepOutput>> steps = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      steps.add(new ArrayList<>());
    }
    for (Step step : node.steps()) {
      List<Integer> active = new ArrayList<>();
      List<Request> input = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (hardFailure[i] != null || stopped[i]) {
          continue;
        }
        Request r = requests.get(i);
        if (step.condition() != null && !step.condition().matches(r.doc().view(last[i]))) {
          stopped[i] = true;
          sequenceStopped.inc();
          continue;
        }
        active.add(i);
        input.add(step.data() == Data.RESPONSE ? new Request(r.doc(), last[i]) : r);
      }
      List<ScoreOutcome> out = runStep(node, step, input);
      for (int j = 0; j < active.size(); j++) {
        int i = active.get(j);
        ScoreOutcome o = out.get(j);
        if (o instanceof ScoreOutcome.Scored s) {
          last[i] = s;
          steps.get(i).addAll(s.steps());
        } else if (step.dependency() == Dependency.HARD) {
          hardFailure[i] = ((ScoreOutcome.Failed) o).reason();
        } else {
          softFailure[i] = ((ScoreOutcome.Failed) o).reason();
          softFailures.inc();
        }
      }
    }
    List<ScoreOutcome> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (hardFailure[i] != null) {
        result.add(new ScoreOutcome.Failed(hardFailure[i]));
      } else if (last[i] == null) {
        result.add(
            new ScoreOutcome.Failed(
                "no step of Sequence node '" + node.name() + "' answered: " + softFailure[i]));
      } else {
        result.add(answer(last[i], steps.get(i)));
      }
    }
    return result;
  }

  private List<ScoreOutcome> choose(Node node, List<Request> requests) {
    int[] choice = new int[requests.size()];
    ScoreOutcome[] preset = new ScoreOutcome[requests.size()];
    for (int i = 0; i < requests.size(); i++) {
      Request r = requests.get(i);
      choice[i] = -1;
      List<Step> steps = node.steps();
      for (int k = 0; k < steps.size(); k++) {
        Condition c = steps.get(k).condition();
        if (c == null || c.matches(r.doc().view(r.response()))) {
          choice[i] = k;
          break;
        }
      }
      if (choice[i] < 0) {
        preset[i] =
            new ScoreOutcome.Failed("no condition of Switch node '" + node.name() + "' matched");
        switchNoMatch.inc();
      }
    }
    return route(node, requests, choice, preset);
  }

  private List<ScoreOutcome> split(Node node, List<Request> requests) {
    int[] choice = new int[requests.size()];
    for (int i = 0; i < requests.size(); i++) {
      choice[i] = pick(node, bucket(requests.get(i).doc().tripId()));
    }
    return route(node, requests, choice, new ScoreOutcome[requests.size()]);
  }

  /** The Splitter bucket of a trip: its 64-bit id (16 hex digits) modulo 100, in [0, 100). */
  static int bucket(String tripId) {
    return (int) Long.remainderUnsigned(Long.parseUnsignedLong(tripId, 16), 100);
  }

  /** The step whose cumulative weight range holds {@code bucket}. */
  private static int pick(Node node, int bucket) {
    int end = 0;
    List<Step> steps = node.steps();
    for (int k = 0; k < steps.size(); k++) {
      end += steps.get(k).weight();
      if (bucket < end) {
        return k;
      }
    }
    throw new IllegalStateException("weights of " + node.name() + " do not sum to 100");
  }

  /** Runs each step once on the requests routed to it ({@code choice}), or keeps {@code preset}. */
  private List<ScoreOutcome> route(
      Node node, List<Request> requests, int[] choice, ScoreOutcome[] preset) {
    ScoreOutcome[] out = Arrays.copyOf(preset, preset.length);
    for (int k = 0; k < node.steps().size(); k++) {
      List<Integer> idx = new ArrayList<>();
      List<Request> sub = new ArrayList<>();
      for (int i = 0; i < requests.size(); i++) {
        if (choice[i] == k) {
          idx.add(i);
          sub.add(requests.get(i));
        }
      }
      List<ScoreOutcome> res = runStep(node, node.steps().get(k), sub);
      for (int j = 0; j < idx.size(); j++) {
        out[idx.get(j)] = res.get(j);
      }
    }
    return Arrays.asList(out);
  }

  private List<ScoreOutcome> ensemble(Node node, List<Request> requests) {
    List<Step> steps = node.steps();
    List<List<ScoreOutcome>> all = new ArrayList<>(steps.size());
    for (Step s : steps) {
      all.add(runStep(node, s, requests));
    }
    List<ScoreOutcome> result = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      ScoreOutcome primary = all.get(0).get(i);
      if (!(primary instanceof ScoreOutcome.Scored head)) {
        result.add(primary);
        continue;
      }
      List<StepOutput> outputs = new ArrayList<>(head.steps());
      ScoreOutcome failed = null;
      for (int k = 1; k < steps.size(); k++) {
        ScoreOutcome o = all.get(k).get(i);
        if (o instanceof ScoreOutcome.Scored s) {
          outputs.addAll(s.steps());
        } else if (steps.get(k).dependency() == Dependency.HARD) {
          failed = o;
          break;
        } else {
          softFailures.inc();
        }
      }
      result.add(failed != null ? failed : answer(head, outputs));
    }
    return result;
  }

  private List<ScoreOutcome> runStep(Node node, Step step, List<Request> requests) {
    if (requests.isEmpty()) {
      return List.of();
    }
    if (step.nodeName() != null) {
      return run(spec.node(step.nodeName()), requests);
    }
    List<TaxiTrip> trips = new ArrayList<>(requests.size());
    for (Request r : requests) {
      trips.add(r.doc().trip());
    }
    String who = "step '" + step.name() + "' of node '" + node.name() + "'";
    List<ScoreOutcome> answers;
    try {
      answers = leaves.get(step.service()).score(trips);
      if (answers.size() != trips.size()) {
        throw new IllegalStateException(
            "the scorer answered " + answers.size() + " of " + trips.size() + " trips");
      }
    } catch (RuntimeException e) {
      return new ArrayList<>(
          java.util.Collections.nCopies(
              trips.size(), new ScoreOutcome.Failed(who + " failed: " + e)));
    }
    List<ScoreOutcome> out = new ArrayList<>(answers.size());
    for (ScoreOutcome o : answers) {
      if (o instanceof ScoreOutcome.Scored s) {
        out.add(
            new ScoreOutcome.Scored(
                s.probability(),
                s.model(),
                s.version(),
                s.features(),
                List.of(new StepOutput(step.name(), s.model(), s.version(), s.probability()))));
      } else {
        out.add(new ScoreOutcome.Failed(who + ": " + ((ScoreOutcome.Failed) o).reason()));
      }
    }
    return out;
  }

  private static ScoreOutcome.Scored answer(ScoreOutcome.Scored head, List<StepOutput> steps) {
    return new ScoreOutcome.Scored(
        head.probability(), head.model(), head.version(), head.features(), steps);
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (TripScorer s : leaves.values()) {
      try {
        s.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
