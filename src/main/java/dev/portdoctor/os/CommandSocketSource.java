package dev.portdoctor.os;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A socket table read from a command's output (netstat, ss, lsof, PowerShell): the command runs with an
 * argument list and a timeout, a pure parser reads its text, the query filters the rows. A command that
 * is missing, hangs, fails or prints nothing readable is an error that names it, never an empty table
 * (an empty table would say "free").
 */
public final class CommandSocketSource implements SocketSource {
  /** How long a command may take; {@code PORTDOCTOR_COMMAND_TIMEOUT} (500ms, 5s, 1m) changes it. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  /**
   * One command and the parser of its output.
   *
   * @param silentWhenEmpty the command prints nothing at all when there is nothing to list ({@code lsof});
   *     for the others empty output means it failed, and is never read as "no sockets"
   */
  public record Step(List<String> argv, Function<String, ParsedTable> parser, boolean silentWhenEmpty) {
    public Step(List<String> argv, Function<String, ParsedTable> parser) {
      this(argv, parser, false);
    }
  }

  private final String name;
  private final CommandRunner runner;
  private final List<Step> steps;
  private final Duration timeout;

  public CommandSocketSource(String name, CommandRunner runner, List<Step> steps) {
    this(name, runner, steps, DEFAULT_TIMEOUT);
  }

  public CommandSocketSource(String name, CommandRunner runner, List<Step> steps, Duration timeout) {
    this.name = name;
    this.runner = runner;
    this.steps = List.copyOf(steps);
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<SocketEntry> snapshot(SocketQuery query) {
    List<SocketEntry> out = new ArrayList<>();
    for (Step step : steps) {
      String cmd = String.join(" ", step.argv());
      CommandRunner.Output o = runner.run(step.argv(), timeout);
      if (o.timedOut()) {
        throw new PortDoctorException(PortDoctorException.INTERNAL,
            "'" + cmd + "' did not finish within " + seconds(timeout) + "; try another --source");
      }
      if (o.stdout().isBlank() && step.silentWhenEmpty() && o.stderr().isBlank()) {
        continue; // nothing to list
      }
      if (o.stdout().isBlank() && o.exitCode() == 0) {
        throw new PortDoctorException(PortDoctorException.INTERNAL, "'" + cmd + "' printed nothing; try another --source");
      }
      if (o.exitCode() != 0 && o.stdout().isBlank()) {
        String why = o.stderr().isBlank() ? "exit code " + o.exitCode() : o.stderr().strip().lines().findFirst().orElse("");
        throw new PortDoctorException(PortDoctorException.INTERNAL, "'" + cmd + "' failed: " + why);
      }
      ParsedTable t;
      try {
        t = step.parser().apply(o.stdout());
      } catch (RuntimeException e) {
        throw new PortDoctorException(PortDoctorException.INTERNAL, "cannot read the output of '" + cmd + "': " + e, e);
      }
      if (t.entries().isEmpty() && t.skippedLines() > 0) {
        throw new PortDoctorException(PortDoctorException.INTERNAL, "cannot read the output of '" + cmd
            + "': line " + t.firstSkippedLine().getAsInt() + " is not what it should print: " + t.firstSkippedText());
      }
      if (t.skippedLines() > 0) {
        Log.debug(CommandSocketSource.class, () -> cmd + ": skipped " + t.skippedLines() + " unreadable line(s), first "
            + t.firstSkippedLine().getAsInt() + ": " + t.firstSkippedText());
      }
      for (SocketEntry e : t.entries()) {
        if (query.accepts(e.protocol(), e.local().port(), e.state())) {
          out.add(e);
        }
      }
    }
    return out;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
