package dev.tidemark.serving.protocol;

import dev.tidemark.core.protocol.ErrorBody;

/**
 * A request that fails with a protocol error: the HTTP status (KServe's codes) and a one-sentence
 * message, sent as {@link ErrorBody}.
 */
public final class InferenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** 400: the input cannot be read (bad JSON, shape, datatype, field). */
  public static final int INVALID_INPUT = 400;

  /** 401: a bearer token is required and was missing or wrong. */
  public static final int UNAUTHORIZED = 401;

  /** 404: unknown model, version or endpoint. */
  public static final int NOT_FOUND = 404;

  /** 405: the endpoint exists with another method. */
  public static final int METHOD_NOT_ALLOWED = 405;

  /** 413: the body is larger than the server accepts. */
  public static final int TOO_LARGE = 413;

  /** 500: inference failed inside the model. */
  public static final int INFERENCE_ERROR = 500;

  /** 501: a protocol feature the server does not implement. */
  public static final int UNSUPPORTED = 501;

  /** 503: the model or server is not ready (loading, shutting down, timed out). */
  public static final int NOT_READY = 503;

  private final int status;

  public InferenceException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  public static InferenceException invalid(String message) {
    return new InferenceException(INVALID_INPUT, message);
  }

  public static InferenceException notFound(String message) {
    return new InferenceException(NOT_FOUND, message);
  }

  public static InferenceException notReady(String message) {
    return new InferenceException(NOT_READY, message);
  }

  public static InferenceException unsupported(String message) {
    return new InferenceException(UNSUPPORTED, message);
  }
}
