package dev.portdoctor.testkit;

import dev.portdoctor.os.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A command runner that replays captured output for given argument lists and records every call. */
public final class ReplayCommandRunner implements CommandRunner {
  private final Map<List<String>, Output> answers = new HashMap<>();
  /** Every argument list run, in order. */
  public final List<List<String>> calls = new ArrayList<>();

  public ReplayCommandRunner answer(List<String> argv, int exit, String stdout) {
    answers.put(List.copyOf(argv), new Output(exit, stdout, "", false));
    return this;
  }

  public ReplayCommandRunner hang(List<String> argv) {
    answers.put(List.copyOf(argv), new Output(-1, "", "", true));
    return this;
  }

  @Override
  public Output run(List<String> argv, Duration timeout) {
    calls.add(List.copyOf(argv));
    Output o = answers.get(argv);
    if (o == null) {
      throw new AssertionError("unexpected command " + argv + "; known: " + answers.keySet());
    }
    return o;
  }
}
