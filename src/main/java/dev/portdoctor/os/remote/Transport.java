package dev.portdoctor.os.remote;

import java.time.Duration;
import java.util.List;

/**
 * Runs one command on a host and returns what it printed: the system ssh client in use, a replay of
 * captured output in tests. The command is a fixed argument list ({@code sh -s}) and the script comes
 * on its standard input, so the remote login shell never parses anything but that list.
 */
public interface Transport {

  /**
   * What came back.
   *
   * @param exitCode the remote command's exit code; 255 when ssh itself failed
   * @param timedOut true when the deadline passed and the local ssh was ended
   */
  record Reply(int exitCode, String stdout, String stderr, boolean timedOut) {}

  /**
   * Runs {@code command} on the host with {@code stdin} as its standard input, for at most
   * {@code deadline}.
   */
  Reply run(HostSpec host, List<String> command, String stdin, Duration deadline);

  /** The local argument list that {@link #run} starts, for {@code --dry-run} and messages. */
  List<String> argv(HostSpec host, List<String> command);
}
