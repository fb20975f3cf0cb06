package dev.tidemark.runners.stack;

/**
 * The local stack could not be started, stopped or reached; the message says what, in one sentence,
 * and {@link #fix()} what to do about it.
 */
public final class StackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String fix;

  public StackException(String message, String fix) {
    this(message, fix, null);
  }

  public StackException(String message, String fix, Throwable cause) {
    super(message, cause);
    this.fix = fix;
  }

  /** One sentence saying what to do. */
  public String fix() {
    return fix;
  }
}
