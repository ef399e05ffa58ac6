package dev.portdoctor.core;

/**
 * A failure whose message is already fit for the user ("port 8080 is held by pid 4242 (node):
 * permission denied..."). The CLI prints the message on one line and exits with {@link #exitCode()}.
 */
public class PortDoctorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit code for input the user got wrong. */
  public static final int USAGE = 2;
  /** Exit code for a missing permission. */
  public static final int DENIED = 3;
  /**
   * Exit code for a host given with {@code --on} or {@code --hosts} that could not be asked: ssh could
   * not connect or log in without a prompt, no answer came in time, or the answer could not be read.
   */
  public static final int UNREACHABLE = 6;
  /** Exit code for an unexpected failure of the machine or of portdoctor. */
  public static final int INTERNAL = 70;

  private final int exitCode;

  public PortDoctorException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public PortDoctorException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  public static PortDoctorException usage(String message) {
    return new PortDoctorException(USAGE, message);
  }
}
