package dev.tidemark.core.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.Test;

/**
 * The compiled evaluator on a two-tree model written by hand, with literal expectations: {@code x <
 * condition} goes left, a value equal to the condition goes right, a missing value follows the
 * node's default direction, a shallow leaf is padded correctly; and what it does not support is
 * refused at compile time with the reason, never answered.
 */
public class TreeEnsembleTest {

  /**
   * Tree 0: {@code f0 < 1.5} (missing: left) → 0.5, else -0.5. Tree 1: {@code f1 < 0} (missing:
   * right) → [{@code f0 < -1} (missing: left) → 1.0, else 0.25], else -0.25. Base score 0.5, so the
   * base margin is 0.
   */
  static final String TWO_TREES =
      """
      {"learner": {
        "objective": {"name": "binary:logistic"},
        "learner_model_param": {"base_score": "5E-1", "num_class": "0", "num_feature": "2",
                                "num_target": "1"},
        "gradient_booster": {"name": "gbtree", "model": {
          "tree_info": [0, 0],
          "trees": [
            {"left_children": [1, -1, -1], "right_children": [2, -1, -1],
             "split_indices": [0, 0, 0], "split_conditions": [1.5, 0.5, -0.5],
             "default_left": [1, 0, 0], "split_type": [0, 0, 0],
             "tree_param": {"num_feature": "2", "num_nodes": "3", "size_leaf_vector": "1"}},
            {"left_children": [1, 3, -1, -1, -1], "right_children": [2, 4, -1, -1, -1],
             "split_indices": [1, 0, 0, 0, 0], "split_conditions": [0, -1, -0.25, 1.0, 0.25],
             "default_left": [0, 1, 0, 0, 0], "split_type": [0, 0, 0, 0, 0],
             "tree_param": {"num_feature": "2", "num_nodes": "5", "size_leaf_vector": "1"}}
          ]}}
      }}
      """;

  private static final float NA = Float.NaN;

  /** Rows that take every path, and their probabilities (sigmoid of the summed leaves). */
  @Test
  public void rowsFollowConditionsAndDefaultDirections() {
    float[] rows = {
      1f,
      -1f, // 0.5 + 0.25 (f0 = 1 is not < -1)
      NA,
      NA, // 0.5 (default left) - 0.25 (default right)
      1.5f,
      0f, // equal to the condition goes right: -0.5 - 0.25
      -2f,
      -0f, // -0.0 is not < 0: 0.5 - 0.25
      NA,
      -5f // 0.5 + 1.0 (f0 missing at the deeper split: default left)
    };
    for (TreeEnsemble.Layout layout : TreeEnsemble.Layout.values()) {
      TreeEnsemble e = TreeEnsemble.compile(TWO_TREES.getBytes(UTF_8), layout);
      float[] p = e.predict(rows, 5);
      assertThat(layout + " row 0", (double) p[0], closeTo(0.6791787, 1e-7));
      assertThat(layout + " row 1", (double) p[1], closeTo(0.5621765, 1e-7));
      assertThat(layout + " row 2", (double) p[2], closeTo(0.3208213, 1e-7));
      assertThat(layout + " row 3", (double) p[3], closeTo(0.5621765, 1e-7));
      assertThat(layout + " row 4", (double) p[4], closeTo(0.8175745, 1e-7));
    }
  }

  /** The model's shape as compiled: width, trees, depth, base margin, default layout. */
  @Test
  public void compiledShapeIsReported() {
    TreeEnsemble e = TreeEnsemble.compile(TWO_TREES.getBytes(UTF_8));
    assertThat(e.width(), equalTo(2));
    assertThat(e.trees(), equalTo(2));
    assertThat(e.maxDepth(), equalTo(2));
    assertThat((double) e.baseMargin(), closeTo(0, 0));
    assertThat(e.layout(), equalTo(TreeEnsemble.Layout.PERFECT));
  }

  /** A short input is an error, not a read past the row. */
  @Test
  public void shortInputIsRefused() {
    TreeEnsemble e = TreeEnsemble.compile(TWO_TREES.getBytes(UTF_8));
    IllegalArgumentException x =
        assertThrows(IllegalArgumentException.class, () -> e.predict(new float[3], 2));
    assertThat(x.getMessage(), containsString("2 rows of width 2 need 4 values"));
  }

  /** A categorical split is refused at compile time. */
  @Test
  public void categoricalSplitIsRefused() throws Exception {
    ObjectNode m = model();
    ((ArrayNode) tree(m, 1).get("split_type")).set(1, 1);
    assertRefused(m, "tree 1 node 1 is a categorical split");
  }

  /** A split on a feature the model does not have is refused. */
  @Test
  public void splitOnUnknownFeatureIsRefused() throws Exception {
    ObjectNode m = model();
    ((ArrayNode) tree(m, 0).get("split_indices")).set(0, 7);
    assertRefused(m, "tree 0 node 0 splits on feature 7, outside the model's 2 features");
  }

  /** An objective whose transform the evaluator does not implement is refused. */
  @Test
  public void unsupportedObjectiveIsRefused() throws Exception {
    ObjectNode m = model();
    ((ObjectNode) m.get("learner").get("objective")).put("name", "count:poisson");
    assertRefused(m, "has objective 'count:poisson'");
  }

  /** A dart booster weighs its trees: refused. */
  @Test
  public void dartBoosterIsRefused() throws Exception {
    ObjectNode m = model();
    ((ObjectNode) m.get("learner").get("gradient_booster")).put("name", "dart");
    assertRefused(m, "has booster 'dart'");
  }

  /** A multi-class model is refused. */
  @Test
  public void multiClassModelIsRefused() throws Exception {
    ObjectNode m = model();
    ((ObjectNode) m.get("learner").get("learner_model_param")).put("num_class", "3");
    assertRefused(m, "has several outputs");
  }

  /** A child index outside the tree is refused. */
  @Test
  public void brokenTreeIsRefused() throws Exception {
    ObjectNode m = model();
    ((ArrayNode) tree(m, 0).get("right_children")).set(0, 9);
    assertRefused(m, "tree 0 node 0 has a child out of range");
  }

  /** Not an XGBoost model at all. */
  @Test
  public void otherJsonIsRefused() {
    assertRefused("{\"trees\": []}", "is not an XGBoost JSON model");
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode model() throws Exception {
    return (ObjectNode) JSON.readTree(TWO_TREES);
  }

  private static ObjectNode tree(ObjectNode model, int t) {
    return (ObjectNode)
        model.get("learner").get("gradient_booster").get("model").get("trees").get(t);
  }

  private static void assertRefused(ObjectNode model, String why) throws Exception {
    assertRefused(JSON.writeValueAsString(model), why);
  }

  private static void assertRefused(String json, String why) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TreeEnsemble.compile(json.getBytes(UTF_8)));
    assertThat(e.getMessage(), containsString(why));
  }
}
