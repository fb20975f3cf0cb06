package dev.tidemark.transforms.inference.graph;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.Assert.assertThrows;

import dev.tidemark.transforms.inference.graph.InferenceGraphSpec.Data;
import dev.tidemark.transforms.inference.graph.InferenceGraphSpec.Dependency;
import dev.tidemark.transforms.inference.graph.InferenceGraphSpec.RouterType;
import dev.tidemark.transforms.inference.graph.InferenceGraphSpec.Step;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * Inference graph specs in KServe's InferenceGraph shape: what a valid spec reads as, and for each
 * invalid one the message, naming the file, the line, the node and the step.
 */
public class InferenceGraphSpecTest {

  private static final String HEAD =
      "apiVersion: serving.kserve.io/v1alpha1\n"
          + "kind: InferenceGraph\n"
          + "metadata: {name: taxi-tips}\n"
          + "spec:\n"
          + "  nodes:\n";

  private static final String SPLIT_90_10 =
      HEAD
          + "    root:\n"
          + "      routerType: Splitter\n"
          + "      steps:\n"
          + "        - name: champion\n"
          + "          serviceName: taxi-tips\n"
          + "          weight: 90\n"
          + "        - name: challenger\n"
          + "          serviceUrl: http://127.0.0.1:8080/v2/models/taxi-tips-challenger/infer\n"
          + "          weight: 10\n";

  /** The message of the error that {@code nodes} (under spec.nodes, from line 6) raises. */
  private static String error(String nodes) {
    return assertThrows(
            InferenceGraphSpecException.class,
            () -> InferenceGraphSpec.parse("g.yaml", HEAD + nodes))
        .getMessage();
  }

  /** The brief's 90/10 split reads as a Splitter with a model step and a service step. */
  @Test
  public void aChampionChallengerSplitReadsAsWritten() {
    InferenceGraphSpec g = InferenceGraphSpec.parse("split.yaml", SPLIT_90_10);

    assertThat(g.name(), equalTo("taxi-tips"));
    assertThat(g.root().routerType(), is(RouterType.SPLITTER));
    List<Step> steps = g.root().steps();
    assertThat(steps.get(0).name(), equalTo("champion"));
    assertThat(steps.get(0).serviceName(), equalTo("taxi-tips"));
    assertThat(steps.get(0).weight(), equalTo(90));
    assertThat(steps.get(0).dependency(), is(Dependency.SOFT));
    assertThat(steps.get(0).line(), equalTo(9));
    assertThat(
        steps.get(1).serviceUrl(),
        equalTo("http://127.0.0.1:8080/v2/models/taxi-tips-challenger/infer"));
    assertThat(steps.get(1).serviceName(), nullValue());
  }

  /** Nested nodes, data, conditions, dependencies and pinned versions are read. */
  @Test
  public void aCascadeWithNestedSwitchReadsAsWritten() {
    InferenceGraphSpec g =
        InferenceGraphSpec.parse(
            "cascade.yaml",
            HEAD
                + "    root:\n"
                + "      routerType: Sequence\n"
                + "      steps:\n"
                + "        - {name: champion, serviceName: taxi-tips, dependency: Hard}\n"
                + "        - {nodeName: by-payment, data: $response}\n"
                + "    by-payment:\n"
                + "      routerType: Switch\n"
                + "      steps:\n"
                + "        - name: cash\n"
                + "          serviceName: taxi-tips@20261127T090000Z\n"
                + "          condition: '[@this].#(payment_type==\"Cash\")'\n"
                + "        - {name: rest, serviceName: taxi-tips}\n");

    assertThat(g.nodes().keySet(), contains("root", "by-payment"));
    Step second = g.root().steps().get(1);
    assertThat(second.name(), equalTo("root[1]"));
    assertThat(second.nodeName(), equalTo("by-payment"));
    assertThat(second.data(), is(Data.RESPONSE));
    assertThat(g.root().steps().get(0).dependency(), is(Dependency.HARD));
    Step cash = g.node("by-payment").steps().get(0);
    assertThat(cash.condition().text(), equalTo("[@this].#(payment_type==\"Cash\")"));
    assertThat(
        InferenceGraphSpec.ModelRef.of(cash.serviceName()),
        equalTo(new InferenceGraphSpec.ModelRef("taxi-tips", "20261127T090000Z")));
    assertThat(
        InferenceGraphSpec.ModelRef.of("taxi-tips"),
        equalTo(new InferenceGraphSpec.ModelRef("taxi-tips", null)));
  }

  /** The example specs shipped in docs/graphs are valid. */
  @Test
  public void theShippedExamplesAreValid() {
    Path dir = Path.of("..", "docs", "graphs");
    for (String f :
        List.of(
            "champion-challenger-split.yaml",
            "champion-challenger-shadow.yaml",
            "switch-by-payment.yaml",
            "cascade.yaml")) {
      InferenceGraphSpec g = InferenceGraphSpec.parse(dir.resolve(f));
      assertThat(f, g.root() != null, is(true));
    }
  }

  /** KServe needs a node named root. */
  @Test
  public void aGraphWithoutRootIsRefused() {
    assertThat(
        error("    main:\n      routerType: Sequence\n      steps: [{serviceName: taxi-tips}]\n"),
        equalTo(
            "g.yaml:6: spec.nodes: root node not found: KServe needs a node named 'root' (where"
                + " requests enter); nodes are [main]"));
  }

  /** A step has exactly one of nodeName, serviceName, serviceUrl. */
  @Test
  public void aStepNeedsExactlyOneTarget() {
    assertThat(
        error("    root:\n      routerType: Sequence\n      steps:\n        - name: a\n"),
        equalTo(
            "g.yaml:9: node 'root' step 'a': no inference target: give one of nodeName,"
                + " serviceName, serviceUrl"));
    assertThat(
        error(
            "    root:\n      routerType: Sequence\n      steps:\n"
                + "        - {name: a, serviceName: m, serviceUrl: 'http://127.0.0.1:1/x'}\n"),
        equalTo(
            "g.yaml:9: node 'root' step 'a': more than one of nodeName, serviceName, serviceUrl:"
                + " give exactly one"));
  }

  /** Splitter weights are all present and sum to 100. */
  @Test
  public void splitterWeightsMustBePresentAndSumTo100() {
    assertThat(
        error(
            "    root:\n      routerType: Splitter\n      steps:\n"
                + "        - {name: a, serviceName: m, weight: 90}\n"
                + "        - {name: b, serviceName: n}\n"),
        equalTo(
            "g.yaml:10: node 'root' step 'b': missing 'weight': every step of a Splitter has one"
                + " (KServe's rule)"));
    assertThat(
        error(
            "    root:\n      routerType: Splitter\n      steps:\n"
                + "        - {name: a, serviceName: m, weight: 80}\n"
                + "        - {name: b, serviceName: n, weight: 10}\n"),
        equalTo("g.yaml:7: node 'root': the weights of a Splitter must sum to 100, not 90"));
    assertThat(
        error(
            "    root:\n      routerType: Ensemble\n      steps:\n"
                + "        - {name: a, serviceName: m, weight: 100}\n"),
        equalTo(
            "g.yaml:9: node 'root' step 'a': 'weight' only applies in a Splitter, not in a"
                + " Ensemble"));
  }

  /** Conditions belong to Switch steps and later Sequence steps, and must parse. */
  @Test
  public void conditionsOnlyWhereTheyHaveAMeaning() {
    assertThat(
        error(
            "    root:\n      routerType: Splitter\n      steps:\n"
                + "        - {name: a, serviceName: m, weight: 100, condition: '[@this].#(fare>1)'}\n"),
        equalTo(
            "g.yaml:9: node 'root' step 'a': 'condition' only applies in a Switch (or a later"
                + " step of a Sequence), not in a Splitter"));
    assertThat(
        error(
            "    root:\n      routerType: Sequence\n      steps:\n"
                + "        - {name: a, serviceName: m, condition: '[@this].#(fare>1)'}\n"),
        equalTo(
            "g.yaml:9: node 'root' step 'a': the first step of a Sequence cannot have a"
                + " condition: a Sequence step's condition reads the previous step's response"));
    assertThat(
        error(
            "    root:\n      routerType: Switch\n      steps:\n"
                + "        - name: a\n"
                + "          serviceName: m\n"
                + "          condition: fare>=20\n"),
        equalTo(
            "g.yaml:11: node 'root' step 'a': condition 'fare>=20': not a GJSON query: GJSON"
                + " reads 'fare>=20' as a key name, which never exists; write a comparison as"
                + " [@this].#(field op value), e.g. [@this].#(fare>=20)"));
    assertThat(
        error(
            "    root:\n      routerType: Switch\n      steps:\n"
                + "        - {name: rest, serviceName: m}\n"
                + "        - {name: cash, serviceName: n, condition: '[@this].#(fare>1)'}\n"),
        equalTo(
            "g.yaml:9: node 'root' step 'rest': a Switch step without condition is the default"
                + " and must be the last step: the steps after it could never be chosen"));
  }

  /** nodeName must name a node, and nodes must not call themselves, directly or not. */
  @Test
  public void nodeReferencesMustExistAndNotCycle() {
    assertThat(
        error("    root:\n      routerType: Sequence\n      steps: [{name: a, nodeName: next}]\n"),
        equalTo(
            "g.yaml:8: node 'root' step 'a': nodeName 'next' is not a node of the graph [root]"));
    assertThat(
        error(
            "    root:\n      routerType: Sequence\n      steps: [{name: a, nodeName: b}]\n"
                + "    b:\n      routerType: Ensemble\n      steps:\n"
                + "        - {name: m, serviceName: m}\n"
                + "        - {name: back, nodeName: root}\n"),
        equalTo("g.yaml:13: node 'b' step 'back': the graph has a cycle: root -> b -> root"));
  }

  /** Router types, fields and values outside KServe's are refused, not ignored. */
  @Test
  public void unknownRouterTypesFieldsAndValuesAreRefused() {
    assertThat(
        error("    root:\n      routerType: RoundRobin\n      steps: [{serviceName: m}]\n"),
        equalTo(
            "g.yaml:7: node 'root': unknown routerType 'RoundRobin': expected Sequence, Switch,"
                + " Ensemble or Splitter"));
    assertThat(
        error(
            "    root:\n      routerType: Sequence\n      steps: [{serviceName: m, wieght: 5}]\n"),
        equalTo(
            "g.yaml:8: node 'root' step 'root[0]': unknown field 'wieght' (expected condition,"
                + " data, dependency, name, nodeName, serviceName, serviceUrl, weight)"));
    assertThat(
        error(
            "    root:\n      routerType: Ensemble\n      steps: [{serviceName: m, dependency: Firm}]\n"),
        equalTo(
            "g.yaml:8: node 'root' step 'root[0]': dependency must be Soft or Hard, not 'Firm'"));
    assertThat(
        error(
            "    root:\n      routerType: Sequence\n      steps:\n"
                + "        - {name: a, serviceName: m}\n"
                + "        - {name: b, serviceName: n, data: $response.predictions}\n"),
        equalTo(
            "g.yaml:10: node 'root' step 'b': data must be $request or $response, not"
                + " '$response.predictions'"));
    assertThat(
        error(
            "    root:\n      routerType: Sequence\n      steps: [{name: a, serviceUrl: 'ftp://x/y'}]\n"),
        equalTo(
            "g.yaml:8: node 'root' step 'a': serviceUrl 'ftp://x/y' is not an http(s) URL (e.g."
                + " http://127.0.0.1:8080/v2/models/taxi-tips/infer)"));
    assertThat(
        error(
            "    root:\n      routerType: Ensemble\n      steps:\n"
                + "        - {name: a, serviceName: m}\n        - {name: a, serviceName: n}\n"),
        equalTo("g.yaml:10: node 'root': more than one step is named 'a' (KServe's rule)"));
  }

  /** The header must be KServe's, and broken YAML says where. */
  @Test
  public void theHeaderAndTheYamlAreChecked() {
    String wrongApi =
        assertThrows(
                InferenceGraphSpecException.class,
                () ->
                    InferenceGraphSpec.parse("g.yaml", SPLIT_90_10.replace("v1alpha1", "v1beta1")))
            .getMessage();
    assertThat(
        wrongApi,
        equalTo(
            "g.yaml:1: apiVersion: expected serving.kserve.io/v1alpha1, not"
                + " 'serving.kserve.io/v1beta1'"));
    String broken =
        assertThrows(
                InferenceGraphSpecException.class,
                () -> InferenceGraphSpec.parse("g.yaml", HEAD + "    root: [unclosed\n"))
            .getMessage();
    assertThat(broken.startsWith("g.yaml:7: not valid YAML: "), is(true));
    String missing =
        assertThrows(
                InferenceGraphSpecException.class,
                () -> InferenceGraphSpec.parse(Path.of("no-such-graph.yaml")))
            .getMessage();
    assertThat(missing, equalTo("no-such-graph.yaml: no such file"));
  }
}
