package dev.portdoctor.os.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Builds {@code taskkill} command lines and reads what taskkill answered, for {@code portdoctor kill} on
 * Windows.
 *
 * <p>Only messages seen in real captures are recognized (see {@code src/test/resources/fixtures/README.md}):
 *
 * <pre>
 * SUCCESS: The process with PID 14164 (child process of PID 812) has been terminated.
 * SUCCESS: Sent termination signal to the process "boinc.exe" with PID 12312.
 * ERROR: The process "5308" not found.
 * ERROR: process "22524" not found.
 * ERROR: The process with PID 6020 could not be terminated.
 * Reason: Access is denied.
 * ERROR: The process with PID 3028 (child process of PID 812) could not be terminated.
 * Reason: This process can only be terminated forcefully (with /F option).
 * 错误: 没有找到进程 "15132"。
 * 错误: 无法终止进程 "explorer.exe"，其 PID 为 XXXX。
 * 原因: 拒绝访问。
 * </pre>
 *
 * <p>taskkill's text is localized, and its exit code does not tell the cases apart (128 was seen both
 * for "not found" and for "can only be terminated forcefully"), so anything not recognized is
 * {@link Outcome#OTHER} and the caller shows taskkill's own words.
 */
public final class TaskkillMessages {
  private TaskkillMessages() {}

  /** What taskkill said about one process. */
  public enum Outcome {
    /** Terminated, or (without /F) a termination signal was sent. */
    SUCCESS,
    /** No such process (it may have exited already). */
    NOT_FOUND,
    /** The process belongs to another user or is protected. */
    ACCESS_DENIED,
    /** The process ignores a polite request; only /F ends it. */
    MUST_FORCE,
    /** Anything else, including messages in a language not known here. */
    OTHER
  }

  /**
   * One recognized message.
   *
   * @param pid the process the message is about, when it names one by number
   * @param text the message line (and its "Reason:" line), trimmed
   */
  public record Message(Outcome outcome, OptionalLong pid, String text) {}

  /**
   * The arguments of {@code taskkill /PID n [/T] [/F]}, program name first, for a process launcher.
   *
   * @param tree also end the processes this one started ({@code /T})
   * @param force terminate instead of asking the process to close ({@code /F})
   * @throws IllegalArgumentException when the PID is not a possible Windows PID (1 to 4294967295);
   *     0 is the System Idle Process and never a target
   */
  public static List<String> args(long pid, boolean tree, boolean force) {
    if (pid <= 0 || pid > WindowsText.MAX_PID) {
      throw new IllegalArgumentException("not a process id: " + pid);
    }
    List<String> a = new ArrayList<>(List.of("taskkill", "/PID", Long.toString(pid)));
    if (tree) {
      a.add("/T");
    }
    if (force) {
      a.add("/F");
    }
    return List.copyOf(a);
  }

  /** Every message recognized in taskkill's standard output and error (in any order, merged). */
  public static List<Message> messages(String output) {
    List<Message> out = new ArrayList<>();
    List<String> lines = WindowsText.lines(WindowsText.stripBom(output));
    for (int i = 0; i < lines.size(); i++) {
      String line = WindowsText.trim(lines.get(i));
      if (line.startsWith("SUCCESS:")) {
        out.add(new Message(Outcome.SUCCESS, pidAfter(line, "PID "), line));
      } else if (line.startsWith("ERROR:") || line.startsWith("错误:")) {
        if (line.contains("not found") || line.contains("没有找到")) {
          out.add(new Message(Outcome.NOT_FOUND, quotedPid(line), line));
        } else if (line.contains("could not be terminated") || line.contains("无法终止")) {
          int next = nextNonBlank(lines, i + 1);
          String reason = next < 0 ? "" : WindowsText.trim(lines.get(next));
          boolean hasReason = reason.startsWith("Reason:") || reason.startsWith("原因:");
          if (hasReason) {
            i = next;
          }
          String text = hasReason ? line + " " + reason : line;
          out.add(new Message(hasReason ? reasonOutcome(reason) : Outcome.OTHER, pidAfter(line, "PID "), text));
        } else {
          out.add(new Message(Outcome.OTHER, OptionalLong.empty(), line));
        }
      }
    }
    return out;
  }

  /**
   * The outcome of one taskkill run: SUCCESS when every message was a success, else the first message
   * that was not (with /T one child may refuse while its parent ends), OTHER when nothing was recognized.
   */
  public static Outcome classify(String output) {
    List<Message> all = messages(output);
    if (all.isEmpty()) {
      return Outcome.OTHER;
    }
    for (Message m : all) {
      if (m.outcome() != Outcome.SUCCESS) {
        return m.outcome();
      }
    }
    return Outcome.SUCCESS;
  }

  /** As {@link #classify(String)}; when no message is recognized (another language), exit code 0 is SUCCESS. */
  public static Outcome classify(String output, int exitCode) {
    Outcome o = classify(output);
    return o == Outcome.OTHER && messages(output).isEmpty() && exitCode == 0 ? Outcome.SUCCESS : o;
  }

  private static Outcome reasonOutcome(String reason) {
    if (reason.contains("Access is denied") || reason.contains("拒绝访问")) {
      return Outcome.ACCESS_DENIED;
    }
    if (reason.contains("terminated forcefully")) {
      return Outcome.MUST_FORCE;
    }
    return Outcome.OTHER;
  }

  private static int nextNonBlank(List<String> lines, int from) {
    for (int i = from; i < lines.size() && i < from + 3; i++) {
      if (!WindowsText.trim(lines.get(i)).isEmpty()) {
        return i;
      }
    }
    return -1;
  }

  /** The number after the first {@code marker} ("PID 1234"), when there is one. */
  private static OptionalLong pidAfter(String line, String marker) {
    int at = line.indexOf(marker);
    if (at < 0) {
      return OptionalLong.empty();
    }
    int from = at + marker.length();
    int to = from;
    while (to < line.length() && to - from < 11 && Character.isDigit(line.charAt(to))
        && line.charAt(to) < 128) {
      to++;
    }
    long pid = WindowsText.pid(line.substring(from, to));
    return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
  }

  /** The number in the first pair of double quotes ({@code "5308"}), when it is one. */
  private static OptionalLong quotedPid(String line) {
    int open = line.indexOf('"');
    int close = open < 0 ? -1 : line.indexOf('"', open + 1);
    if (close < 0) {
      return OptionalLong.empty();
    }
    long pid = WindowsText.pid(line.substring(open + 1, close));
    return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
  }
}
