package dev.tidemark.core.model;

import java.util.Locale;

/**
 * What computes a {@link ModelVersion}'s probabilities: XGBoost's native library through JNI, or
 * Tidemark's {@link TreeEnsemble} compiled from the same {@code model.json}. Both give the same
 * probabilities (within 1e-6, checked when a version loads and by {@code
 * TreeEnsembleExactnessTest}); TreeSHAP explanations always come from XGBoost ({@code
 * predictContrib}).
 */
public enum Evaluator {
  /** XGBoost's own predictor, one JNI call per batch (~60–115 µs fixed cost per call). */
  XGBOOST4J("xgboost4j"),
  /**
   * The trees compiled to flat Java arrays: no JNI, ~1–2 µs per row (100 trees of depth 4), safe to
   * call from any thread.
   */
  COMPILED("compiled");

  /** The evaluator used unless a caller chooses: {@link #COMPILED}. */
  public static final Evaluator DEFAULT = COMPILED;

  private final String id;

  Evaluator(String id) {
    this.id = id;
  }

  /** The name used by flags and options: {@code xgboost4j} or {@code compiled}. */
  public String id() {
    return id;
  }

  /**
   * Whether {@link ModelVersion#predict} may be called from several threads at once with this
   * evaluator (the compiled ensemble is immutable; the native booster is not shared safely).
   */
  public boolean threadSafe() {
    return this == COMPILED;
  }

  /**
   * The evaluator named {@code name} ({@code xgboost4j} or {@code compiled}, any case).
   *
   * @throws IllegalArgumentException for any other name, listing the valid ones
   */
  public static Evaluator parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Evaluator e : values()) {
      if (e.id.equals(n)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown evaluator '" + name + "': expected xgboost4j or compiled");
  }

  @Override
  public String toString() {
    return id;
  }
}
