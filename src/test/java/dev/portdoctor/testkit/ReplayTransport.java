package dev.portdoctor.testkit;

import dev.portdoctor.os.remote.HostSpec;
import dev.portdoctor.os.remote.Transport;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.nio.charset.StandardCharsets;

/**
 * A transport that replays answers in order, with the captured nonce replaced by the one of the script
 * it is given (so that a capture made with a fixed nonce reads as an answer to this call), and records
 * every call.
 */
public final class ReplayTransport implements Transport {
  public static final String CAPTURED_NONCE = "0123456789abcdef";

  public record Call(List<String> command, String stdin) {
    /** The script, from stdin (sh -s) or -EncodedCommand (PowerShell). */
    public String script() {
      int i = command.indexOf("-EncodedCommand");
      return i >= 0 ? new String(Base64.getDecoder().decode(command.get(i + 1)), StandardCharsets.UTF_16LE) : stdin;
    }
  }

  private final Deque<Reply> replies = new ArrayDeque<>();
  public final List<Call> calls = new ArrayList<>();

  public ReplayTransport answer(String stdout) {
    replies.add(new Reply(0, stdout, "", false));
    return this;
  }

  public ReplayTransport reply(Reply r) {
    replies.add(r);
    return this;
  }

  @Override
  public Reply run(HostSpec host, List<String> command, String stdin, Duration deadline) {
    Call c = new Call(command, stdin);
    calls.add(c);
    Reply r = replies.removeFirst();
    String script = c.script();
    int m = script.indexOf("@@pd-");
    if (m >= 0) {
      String nonce = script.substring(m + 5, m + 21);
      return new Reply(r.exitCode(), r.stdout().replace(CAPTURED_NONCE, nonce), r.stderr(), r.timedOut());
    }
    return r;
  }

  @Override
  public List<String> argv(HostSpec host, List<String> command) {
    List<String> a = new ArrayList<>(List.of("ssh", host.destination(), "--"));
    a.addAll(command);
    return a;
  }

  /** An answer made of our own marker lines around a real tool's output. */
  public static String sections(String os, String... parts) {
    StringBuilder b = new StringBuilder();
    String m = "@@pd-" + CAPTURED_NONCE + " ";
    b.append(m).append("os ").append(os).append('\n');
    b.append(m).append("self 4000\n");
    b.append(m).append("uid 0\n");
    for (int i = 0; i + 1 < parts.length; i += 2) {
      b.append(m).append(parts[i]).append('\n');
      b.append(parts[i + 1]);
      if (!parts[i + 1].endsWith("\n")) {
        b.append('\n');
      }
      b.append(m).append("rc 0\n");
    }
    b.append(m).append("end\n");
    return b.toString();
  }
}
