package dev.tidemark.transforms.inference.graph;

import dev.tidemark.core.store.ModelNames;
import dev.tidemark.core.yaml.YamlDocument;
import dev.tidemark.core.yaml.YamlException;
import dev.tidemark.core.yaml.YamlMapping;
import dev.tidemark.core.yaml.YamlNode;
import dev.tidemark.core.yaml.YamlReader;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An inference graph as a KServe {@code InferenceGraph} resource describes it ({@code
 * serving.kserve.io/v1alpha1}, kserve/kserve {@code pkg/apis/serving/v1alpha1/inference_graph.go}):
 * named nodes, each a router ({@code Sequence}, {@code Switch}, {@code Ensemble}, {@code Splitter})
 * over steps; a step targets another node ({@code nodeName}), a model ({@code serviceName}) or a
 * service ({@code serviceUrl}). Same field names and shape as KServe, so that a spec reads the same
 * in both; see docs/inference-graph.md for the semantics and the differences.
 *
 * <pre>
 * apiVersion: serving.kserve.io/v1alpha1
 * kind: InferenceGraph
 * metadata: {name: taxi-tips}
 * spec:
 *   nodes:
 *     root:
 *       routerType: Splitter
 *       steps:
 *         - {name: champion, serviceName: taxi-tips, weight: 90}
 *         - {name: challenger, serviceName: taxi-tips@20261127T090000Z, weight: 10}
 * </pre>
 *
 * <p>Tidemark extension: {@code serviceName: <model>@<version>} pins a version of a model of the
 * model store; {@code serviceName: <model>} is its newest complete version, hot-swapped.
 *
 * <p>Validation (every error an {@link InferenceGraphSpecException} with file, line, node and
 * step): KServe's own (a node named {@code root}; exactly one of {@code nodeName}, {@code
 * serviceName}, {@code serviceUrl} per step; unique step names in a node; {@code Splitter} weights
 * present and summing to 100) and Tidemark's: known router types, fields and values only (unknown
 * fields are errors, not ignored); {@code nodeName} names a node; no cycles; {@code weight} only in
 * a {@code Splitter}; {@code condition} only in a {@code Switch} or on a later step of a {@code
 * Sequence}, and parsed by {@link Condition}; a {@code Switch} step without condition (the default)
 * only last; {@code data} only in a {@code Sequence}. KServe's deployment settings of the router
 * pod ({@code resources}, {@code affinity}, ...) are accepted and ignored.
 */
public final class InferenceGraphSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** KServe's {@code apiVersion} of InferenceGraph. */
  public static final String API_VERSION = "serving.kserve.io/v1alpha1";

  /** KServe's required entry node. */
  public static final String ROOT = "root";

  /** The router of a node; {@link #kserveName()} is the spelling in the spec. */
  public enum RouterType {
    SEQUENCE("Sequence"),
    SWITCH("Switch"),
    ENSEMBLE("Ensemble"),
    SPLITTER("Splitter");

    private final String kserveName;

    RouterType(String kserveName) {
      this.kserveName = kserveName;
    }

    /**
     * As written in a spec: {@code Sequence}, {@code Switch}, {@code Ensemble}, {@code Splitter}.
     */
    public String kserveName() {
      return kserveName;
    }
  }

  /** Whether a step's failure fails the trip ({@code Hard}) or is skipped ({@code Soft}). */
  public enum Dependency {
    SOFT,
    HARD
  }

  /** What a {@code Sequence} step receives: the node's request or the previous step's response. */
  public enum Data {
    REQUEST,
    RESPONSE
  }

  /**
   * One step of a node.
   *
   * @param name the step's name ({@code name}, or {@code <node>[<index>]} when it has none)
   * @param nodeName the target node, or null
   * @param serviceName the target model ({@code <model>} or {@code <model>@<version>}), or null
   * @param serviceUrl the target service's V2 infer URL, or null
   * @param data {@code $request}/{@code $response} ({@code Sequence} only), or null (request)
   * @param condition when the step runs ({@code Switch}, later {@code Sequence} steps), or null
   * @param weight the share of trips in percent ({@code Splitter} only), or null
   * @param dependency {@code Soft} (the default, as in KServe) or {@code Hard}
   * @param line the line of the step in the spec
   */
  public record Step(
      String name,
      String nodeName,
      String serviceName,
      String serviceUrl,
      Data data,
      Condition condition,
      Integer weight,
      Dependency dependency,
      int line)
      implements Serializable {

    /** The leaf target ({@code serviceName} or {@code serviceUrl}), or null for a node step. */
    public String service() {
      return serviceName != null ? serviceName : serviceUrl;
    }
  }

  /**
   * One router node.
   *
   * @param name its key in {@code spec.nodes}
   * @param routerType its router
   * @param steps its steps, in order
   * @param line the line of the node in the spec
   */
  public record Node(String name, RouterType routerType, List<Step> steps, int line)
      implements Serializable {
    public Node {
      steps = List.copyOf(steps);
    }
  }

  /**
   * A {@code serviceName} read as a model of the model store.
   *
   * @param model the model name
   * @param version the pinned version, or null for the newest complete version (hot-swapped)
   */
  public record ModelRef(String model, String version) implements Serializable {
    /** Reads {@code <model>} or {@code <model>@<version>}. */
    public static ModelRef of(String serviceName) {
      int at = serviceName.indexOf('@');
      return at < 0
          ? new ModelRef(serviceName, null)
          : new ModelRef(serviceName.substring(0, at), serviceName.substring(at + 1));
    }
  }

  private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  /** {@code <model>} or {@code <model>@<version>}, each part by the one naming rule. */
  static boolean isModelRef(String serviceName) {
    int at = serviceName.indexOf('@');
    return at < 0
        ? ModelNames.isValid(serviceName)
        : ModelNames.isValid(serviceName.substring(0, at))
            && ModelNames.isValid(serviceName.substring(at + 1));
  }

  private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
  private static final Set<String> METADATA = Set.of("name", "namespace", "labels", "annotations");

  /** KServe's settings of the router deployment: no meaning in process, accepted and ignored. */
  private static final Set<String> SPEC_IGNORED =
      Set.of(
          "resources",
          "affinity",
          "nodeSelector",
          "tolerations",
          "minReplicas",
          "maxReplicas",
          "scaleTarget",
          "scaleMetric",
          "timeout",
          "routerTimeouts",
          "imagePullSecrets",
          "serviceAccountName");

  private static final Set<String> NODE = Set.of("routerType", "steps");
  private static final Set<String> STEP =
      Set.of(
          "name",
          "nodeName",
          "serviceName",
          "serviceUrl",
          "data",
          "condition",
          "weight",
          "dependency");

  private static final YamlReader READER =
      YamlReader.of("YAML").withErrors(InferenceGraphSpecException::new);

  private final String file;
  private final String name;
  private final Map<String, Node> nodes;

  private InferenceGraphSpec(String file, String name, Map<String, Node> nodes) {
    this.file = file;
    this.name = name;
    this.nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
  }

  /** Reads and validates the spec in {@code path}. */
  public static InferenceGraphSpec parse(Path path) {
    return new Reader(READER.read(path)).read();
  }

  /** Reads and validates a spec given as text; {@code file} names it in messages. */
  public static InferenceGraphSpec parse(String file, String text) {
    return new Reader(READER.read(file, text)).read();
  }

  /** {@code metadata.name}. */
  public String name() {
    return name;
  }

  /** Where the spec came from. */
  public String file() {
    return file;
  }

  /** The nodes by name, in the order of the spec. */
  public Map<String, Node> nodes() {
    return nodes;
  }

  /** The node named {@code root}: where every trip enters. */
  public Node root() {
    return nodes.get(ROOT);
  }

  /** The node named {@code name}. */
  public Node node(String name) {
    Node n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no node '" + name + "' in graph " + this.name);
    }
    return n;
  }

  @Override
  public String toString() {
    return "InferenceGraph " + name + " (" + file + ", nodes " + nodes.keySet() + ")";
  }

  /** Reads the document's nodes (each with its line) into the spec, validating as it goes. */
  private static final class Reader {
    private final YamlDocument document;

    Reader(YamlDocument document) {
      this.document = document;
    }

    InferenceGraphSpec read() {
      YamlNode doc = document.root();
      YamlMapping top = fields(doc, "", TOP, Set.of("status"));
      String apiVersion = required(top, "apiVersion", "");
      if (!API_VERSION.equals(apiVersion)) {
        throw error(
            top.get("apiVersion").line(),
            "apiVersion",
            "expected " + API_VERSION + ", not '" + apiVersion + "'");
      }
      String kind = required(top, "kind", "");
      if (!"InferenceGraph".equals(kind)) {
        throw error(top.get("kind").line(), "kind", "expected InferenceGraph, not '" + kind + "'");
      }
      if (!top.has("metadata")) {
        throw error(doc.line(), "", "missing 'metadata' (with the graph's name)");
      }
      YamlMapping metadata = fields(top.get("metadata"), "metadata", METADATA, Set.of());
      String name = required(metadata, "name", "metadata");
      if (!NAME.matcher(name).matches()) {
        throw error(
            metadata.get("name").line(),
            "metadata.name",
            "'"
                + name
                + "' is not a valid name: lower case letters, digits and '-', starting with a"
                + " letter (KServe's rule)");
      }
      if (!top.has("spec")) {
        throw error(doc.line(), "", "missing 'spec' (with 'nodes')");
      }
      YamlMapping spec = fields(top.get("spec"), "spec", Set.of("nodes"), SPEC_IGNORED);
      if (!spec.has("nodes")) {
        throw error(top.get("spec").line(), "spec", "missing 'nodes'");
      }
      YamlNode nodesNode = spec.get("nodes");
      if (!nodesNode.isMapping()) {
        throw error(nodesNode.line(), "spec.nodes", "expected a mapping of node names to routers");
      }
      YamlMapping nodesMap = nodesNode.mapping();
      Map<String, Node> nodes = new LinkedHashMap<>();
      for (String nodeName : nodesMap.keys()) {
        nodes.put(nodeName, node(nodeName, nodesMap.get(nodeName)));
      }
      if (!nodes.containsKey(ROOT)) {
        throw error(
            nodesNode.line(),
            "spec.nodes",
            "root node not found: KServe needs a node named 'root' (where requests enter); nodes"
                + " are "
                + nodes.keySet());
      }
      for (Node n : nodes.values()) {
        for (Step s : n.steps()) {
          if (s.nodeName() != null && !nodes.containsKey(s.nodeName())) {
            throw error(
                s.line(),
                where(n.name(), s.name()),
                "nodeName '" + s.nodeName() + "' is not a node of the graph " + nodes.keySet());
          }
        }
      }
      checkCycles(nodes);
      return new InferenceGraphSpec(document.file(), name, nodes);
    }

    private Node node(String nodeName, YamlNode yaml) {
      String where = "node '" + nodeName + "'";
      YamlMapping m = fields(yaml, where, NODE, Set.of());
      String type = required(m, "routerType", where);
      RouterType routerType = null;
      for (RouterType r : RouterType.values()) {
        if (r.kserveName().equals(type)) {
          routerType = r;
        }
      }
      if (routerType == null) {
        throw error(
            m.get("routerType").line(),
            where,
            "unknown routerType '" + type + "': expected Sequence, Switch, Ensemble or Splitter");
      }
      YamlNode stepsNode = m.get("steps");
      if (stepsNode == null || !stepsNode.isList() || stepsNode.list().isEmpty()) {
        throw error(
            (stepsNode == null ? yaml : stepsNode).line(),
            where,
            "expected 'steps': a non-empty list");
      }
      List<YamlNode> items = stepsNode.list();
      List<Step> steps = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < items.size(); i++) {
        Step s = step(nodeName, routerType, i, items.get(i));
        if (!names.add(s.name())) {
          throw error(
              s.line(), where, "more than one step is named '" + s.name() + "' (KServe's rule)");
        }
        steps.add(s);
      }
      checkRouter(nodeName, routerType, steps, yaml.line());
      return new Node(nodeName, routerType, steps, yaml.line());
    }

    private Step step(String nodeName, RouterType type, int index, YamlNode yaml) {
      String anonymous = nodeName + "[" + index + "]";
      YamlMapping m = fields(yaml, where(nodeName, anonymous), STEP, Set.of());
      String name = m.has("name") ? m.get("name").scalar() : anonymous;
      String where = where(nodeName, name);
      int line = yaml.line();
      String target = scalarOrNull(m, "nodeName");
      String serviceName = scalarOrNull(m, "serviceName");
      String serviceUrl = scalarOrNull(m, "serviceUrl");
      int targets =
          (target == null ? 0 : 1) + (serviceName == null ? 0 : 1) + (serviceUrl == null ? 0 : 1);
      if (targets != 1) {
        throw error(
            line,
            where,
            targets == 0
                ? "no inference target: give one of nodeName, serviceName, serviceUrl"
                : "more than one of nodeName, serviceName, serviceUrl: give exactly one");
      }
      if (serviceName != null && !isModelRef(serviceName)) {
        throw error(
            m.get("serviceName").line(),
            where,
            "serviceName '"
                + serviceName
                + "' is not <model> or <model>@<version> (letters, digits, '-', '_', '.', at"
                + " most 128, no '..')");
      }
      if (serviceUrl != null) {
        checkUrl(serviceUrl, m.get("serviceUrl").line(), where);
      }
      Data data = null;
      if (m.has("data")) {
        String d = m.get("data").scalar();
        if (type != RouterType.SEQUENCE) {
          throw error(
              m.get("data").line(),
              where,
              "'data' only has a meaning in a Sequence (which passes $request or $response on)");
        }
        data =
            switch (d) {
              case "$request" -> Data.REQUEST;
              case "$response" -> Data.RESPONSE;
              default ->
                  throw error(
                      m.get("data").line(),
                      where,
                      "data must be $request or $response, not '" + d + "'");
            };
      }
      Condition condition = null;
      if (m.has("condition")) {
        int at = m.get("condition").line();
        if (type != RouterType.SWITCH && type != RouterType.SEQUENCE) {
          throw error(
              at,
              where,
              "'condition' only applies in a Switch (or a later step of a Sequence), not in a "
                  + type.kserveName());
        }
        if (type == RouterType.SEQUENCE && index == 0) {
          throw error(
              at,
              where,
              "the first step of a Sequence cannot have a condition: a Sequence step's condition"
                  + " reads the previous step's response");
        }
        String text = m.get("condition").scalar();
        try {
          condition = Condition.parse(text, RequestDocument.FIELDS);
        } catch (IllegalArgumentException e) {
          throw error(at, where, e.getMessage());
        }
      }
      Integer weight = null;
      if (m.has("weight")) {
        int at = m.get("weight").line();
        if (type != RouterType.SPLITTER) {
          throw error(
              at, where, "'weight' only applies in a Splitter, not in a " + type.kserveName());
        }
        String w = m.get("weight").scalar();
        try {
          weight = Integer.valueOf(w);
        } catch (NumberFormatException e) {
          throw error(at, where, "weight must be a whole number of percent, not '" + w + "'");
        }
        if (weight < 0 || weight > 100) {
          throw error(at, where, "weight must be between 0 and 100, not " + weight);
        }
      }
      Dependency dependency = Dependency.SOFT;
      if (m.has("dependency")) {
        String d = m.get("dependency").scalar();
        dependency =
            switch (d) {
              case "Soft" -> Dependency.SOFT;
              case "Hard" -> Dependency.HARD;
              default ->
                  throw error(
                      m.get("dependency").line(),
                      where,
                      "dependency must be Soft or Hard, not '" + d + "'");
            };
      }
      return new Step(
          name, target, serviceName, serviceUrl, data, condition, weight, dependency, line);
    }

    private void checkUrl(String url, int line, String where) {
      try {
        URI u = new URI(url);
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
            || u.getHost() == null) {
          throw new URISyntaxException(url, "not an http(s) URL with a host");
        }
      } catch (URISyntaxException e) {
        throw error(
            line,
            where,
            "serviceUrl '"
                + url
                + "' is not an http(s) URL (e.g. http://127.0.0.1:8080/v2/models/taxi-tips/infer)");
      }
    }

    private void checkRouter(String nodeName, RouterType type, List<Step> steps, int line) {
      if (type == RouterType.SPLITTER) {
        int sum = 0;
        for (Step s : steps) {
          if (s.weight() == null) {
            throw error(
                s.line(),
                where(nodeName, s.name()),
                "missing 'weight': every step of a Splitter has one (KServe's rule)");
          }
          sum += s.weight();
        }
        if (sum != 100) {
          throw error(
              line,
              "node '" + nodeName + "'",
              "the weights of a Splitter must sum to 100, not " + sum);
        }
      }
      if (type == RouterType.SWITCH) {
        for (int i = 0; i < steps.size() - 1; i++) {
          Step s = steps.get(i);
          if (s.condition() == null) {
            throw error(
                s.line(),
                where(nodeName, s.name()),
                "a Switch step without condition is the default and must be the last step:"
                    + " the steps after it could never be chosen");
          }
        }
      }
    }

    private void checkCycles(Map<String, Node> nodes) {
      Map<String, Integer> state = new HashMap<>();
      for (String n : nodes.keySet()) {
        visit(n, nodes, state, new ArrayList<>());
      }
    }

    /** Depth-first search; state 1 = on the current path, 2 = done. */
    private void visit(
        String n, Map<String, Node> nodes, Map<String, Integer> state, List<String> path) {
      Integer s = state.get(n);
      if (s != null && s == 2) {
        return;
      }
      path.add(n);
      if (s != null && s == 1) {
        Node at = nodes.get(path.get(path.size() - 2));
        Step back = at.steps().get(0);
        for (Step st : at.steps()) {
          if (n.equals(st.nodeName())) {
            back = st;
          }
        }
        throw error(
            back.line(),
            where(at.name(), back.name()),
            "the graph has a cycle: "
                + String.join(" -> ", path.subList(path.indexOf(n), path.size())));
      }
      state.put(n, 1);
      for (Step st : nodes.get(n).steps()) {
        if (st.nodeName() != null) {
          visit(st.nodeName(), nodes, state, path);
        }
      }
      state.put(n, 2);
      path.remove(path.size() - 1);
    }

    private static String where(String node, String step) {
      return "node '" + node + "' step '" + step + "'";
    }

    /**
     * The mapping's fields: unknown ones refused in KServe's words ("unknown field"), {@code
     * ignored} ones (KServe's deployment settings) dropped.
     */
    private YamlMapping fields(
        YamlNode yaml, String where, Set<String> known, Set<String> ignored) {
      if (!yaml.isMapping()) {
        throw error(yaml.line(), where, "expected a mapping (key: value), found a " + yaml.kind());
      }
      YamlMapping m = yaml.mapping();
      for (String key : m.keys()) {
        if (!known.contains(key) && !ignored.contains(key)) {
          throw error(
              m.key(key).line(),
              where,
              "unknown field '" + key + "' (expected " + String.join(", ", sorted(known)) + ")");
        }
      }
      return m;
    }

    private static List<String> sorted(Set<String> s) {
      List<String> l = new ArrayList<>(s);
      Collections.sort(l);
      return l;
    }

    private String required(YamlMapping m, String key, String where) {
      if (!m.has(key)) {
        throw error(m.node().line(), where, "missing '" + key + "'");
      }
      return m.get(key).scalar();
    }

    private String scalarOrNull(YamlMapping m, String key) {
      if (!m.has(key)) {
        return null;
      }
      String v = m.get(key).scalar();
      return v.isEmpty() ? null : v;
    }

    private YamlException error(int line, String where, String message) {
      return document.error(line, where, message);
    }
  }
}
