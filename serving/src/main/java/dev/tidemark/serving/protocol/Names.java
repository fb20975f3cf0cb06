package dev.tidemark.serving.protocol;

import java.util.regex.Pattern;

/**
 * Validation of model and version names taken from URLs, before they reach storage: letters,
 * digits, {@code .}, {@code _} and {@code -}, starting with a letter or digit, at most 128
 * characters, and never {@code ..}. So no name can climb out of the repository ({@code ../x}, an
 * encoded {@code %2F}, an absolute path) or address a bucket.
 */
public final class Names {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private Names() {}

  /** Whether {@code name} is a valid model or version name. */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches() && !name.contains("..");
  }

  /**
   * Returns {@code name} when valid.
   *
   * @throws InferenceException 400 when it is not
   */
  public static String check(String what, String name) {
    if (!isValid(name)) {
      throw InferenceException.invalid(
          "invalid "
              + what
              + " name '"
              + name
              + "': use letters, digits, '.', '_' and '-' (at most 128, no '..')");
    }
    return name;
  }
}
