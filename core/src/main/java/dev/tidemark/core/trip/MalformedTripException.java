package dev.tidemark.core.trip;

/** A trip line or record that cannot be read; its message is the reason, in one sentence. */
public final class MalformedTripException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedTripException(String reason) {
    super(reason);
  }
}
