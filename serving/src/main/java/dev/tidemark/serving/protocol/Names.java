package dev.tidemark.serving.protocol;

import dev.tidemark.core.store.ModelNames;

/**
 * Model and version names taken from URLs and request bodies, checked by the one naming rule
 * ({@link ModelNames}) before they reach storage; an invalid name is a client error (400).
 */
public final class Names {

  private Names() {}

  /**
   * Returns {@code name} when valid.
   *
   * @throws InferenceException 400 when it is not
   */
  public static String check(String what, String name) {
    try {
      return ModelNames.check(what, name);
    } catch (IllegalArgumentException e) {
      throw InferenceException.invalid(e.getMessage());
    }
  }
}
