package dev.tidemark.transforms.retention;

/** A JSON line that is not a valid {@link CustomerEvent}; the message says what is wrong. */
public final class MalformedEventException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedEventException(String message) {
    super(message);
  }
}
