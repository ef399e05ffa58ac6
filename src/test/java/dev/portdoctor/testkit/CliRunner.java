package dev.portdoctor.testkit;

import dev.portdoctor.cli.Context;
import dev.portdoctor.cli.Environment;
import dev.portdoctor.cli.PortDoctorCli;
import dev.portdoctor.core.Platform;
import dev.portdoctor.os.Platforms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;

/** Runs the whole CLI in this JVM, as {@code Main} does, and captures what it prints. */
public final class CliRunner {
  private CliRunner() {}

  /** Exit code and the two streams, kept apart. */
  public record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  public static Result run(String... args) {
    return run(Platforms::detect, Context.Terminal.pipe(), null, args);
  }

  public static Result run(Supplier<Platform> platform, String... args) {
    return run(source -> platform.get(), Context.Terminal.pipe(), null, args);
  }

  /** As a user at a terminal who answers {@code answer} to a question. */
  public static Result run(Supplier<Platform> platform, Context.Terminal terminal, String answer, String... args) {
    return run(source -> platform.get(), terminal, answer, args);
  }

  /** With a platform made for the --source the command line names. */
  public static Result run(java.util.function.Function<String, Platform> platforms, Context.Terminal terminal,
      String answer, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PortDoctorCli.run(args, new PrintWriter(out), new PrintWriter(err), terminal, platforms, () -> answer);
    return new Result(code, out.toString(), err.toString());
  }

  /** With a fake clock, connector or random ({@code wait}, {@code free}). */
  public static Result run(Supplier<Platform> platform, Environment env, String... args) {
    return runAt(platform, Context.Terminal.pipe(), env, args);
  }

  /** On a given terminal, with a fake clock, connector or random. */
  public static Result runAt(Supplier<Platform> platform, Context.Terminal terminal, Environment env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PortDoctorCli.run(args, new PrintWriter(out), new PrintWriter(err), terminal, source -> platform.get(),
        () -> null, env);
    return new Result(code, out.toString(), err.toString());
  }
}
