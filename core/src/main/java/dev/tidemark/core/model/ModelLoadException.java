package dev.tidemark.core.model;

/**
 * A model version that cannot be loaded, with why ({@link Kind}): absent from the store, the store
 * could not be read, or an artifact is broken. The message names the version's URI and the reason.
 */
public final class ModelLoadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a version cannot be loaded. */
  public enum Kind {
    /** The model or version does not exist (or is incomplete) in the store. */
    NOT_FOUND,
    /** The store could not be read: worth trying again later. */
    UNREADABLE,
    /** The version's artifacts are missing or broken: trying again will not help. */
    BROKEN
  }

  private final Kind kind;

  public ModelLoadException(String message, Kind kind, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** Why the version cannot be loaded. */
  public Kind kind() {
    return kind;
  }

  /** True when the model or version does not exist in the store. */
  public boolean notFound() {
    return kind == Kind.NOT_FOUND;
  }
}
