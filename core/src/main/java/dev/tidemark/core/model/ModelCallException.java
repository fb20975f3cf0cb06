package dev.tidemark.core.model;

/** A call into a loaded model failed (the native library refused the input or ran out). */
public final class ModelCallException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelCallException(String message, Throwable cause) {
    super(message, cause);
  }
}
