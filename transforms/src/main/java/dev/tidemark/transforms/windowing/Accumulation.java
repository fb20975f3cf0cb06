package dev.tidemark.transforms.windowing;

/**
 * How the panes of one window relate to each other when a trigger fires more than once (the deck's
 * accumulation table: panes [7], [3, 4], [8]).
 */
public enum Accumulation {
  /** Each pane holds only what arrived since the previous pane: 7, 7, 8. */
  DISCARDING,
  /** Each pane holds everything so far: 7, 14, 22. */
  ACCUMULATING,
  /**
   * Each pane holds everything so far and withdraws the previous pane's value: 7; 14, −7; 22, −14.
   * Beam Java has no such mode; Tidemark runs the window accumulating and derives the retractions
   * with {@link dev.tidemark.transforms.panes.RetractPanes}.
   */
  RETRACTING;

  /** Parses {@code discarding}, {@code accumulating} or {@code retracting}. */
  public static Accumulation parse(String text) {
    return switch (text.strip()) {
      case "discarding" -> DISCARDING;
      case "accumulating" -> ACCUMULATING;
      case "retracting" -> RETRACTING;
      default ->
          throw new IllegalArgumentException(
              "unknown accumulation '"
                  + text
                  + "' (expected discarding, accumulating or retracting)");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase();
  }
}
