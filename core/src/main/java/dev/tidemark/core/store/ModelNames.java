package dev.tidemark.core.store;

import java.util.regex.Pattern;

/**
 * The one rule for model and version names, wherever they come from (a URL of the model server, a
 * graph spec's {@code serviceName}, the store's own listing): letters, digits, {@code .}, {@code _}
 * and {@code -}, starting with a letter or digit, at most 128 characters, and never {@code ..}. So
 * no name can climb out of a store ({@code ../x}, an encoded {@code %2F}, an absolute path) or
 * address a bucket.
 */
public final class ModelNames {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private ModelNames() {}

  /** Whether {@code name} is a valid model or version name. */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches() && !name.contains("..");
  }

  /**
   * Returns {@code name} when valid.
   *
   * @param what what the name names, for the message: {@code model} or {@code version}
   * @throws IllegalArgumentException naming the rule when it is not
   */
  public static String check(String what, String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "invalid "
              + what
              + " name '"
              + name
              + "': use letters, digits, '.', '_' and '-' (at most 128, no '..')");
    }
    return name;
  }
}
