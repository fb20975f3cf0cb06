package dev.tidemark.cli;

/**
 * A failure the user can fix: its message is one sentence saying what went wrong, {@link #fix()}
 * one sentence saying what to do. The command line prints both, without a stack trace.
 */
public final class UserFacingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String fix;
  private final int exitCode;

  public UserFacingException(String message, String fix) {
    this(message, fix, TidemarkCli.FAILURE, null);
  }

  public UserFacingException(String message, String fix, int exitCode, Throwable cause) {
    super(message, cause);
    this.fix = fix;
    this.exitCode = exitCode;
  }

  /** What the user should do about it, or null. */
  public String fix() {
    return fix;
  }

  /** The process exit code to use. */
  public int exitCode() {
    return exitCode;
  }
}
