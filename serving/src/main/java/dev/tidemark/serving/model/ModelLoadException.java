package dev.tidemark.serving.model;

/** A model version that cannot be served: missing, incomplete or broken artifacts. */
public final class ModelLoadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Whether the version is simply absent from the repository (rather than broken). */
  private final boolean notFound;

  public ModelLoadException(String message, boolean notFound, Throwable cause) {
    super(message, cause);
    this.notFound = notFound;
  }

  /** True when the model or version does not exist in the repository. */
  public boolean notFound() {
    return notFound;
  }
}
