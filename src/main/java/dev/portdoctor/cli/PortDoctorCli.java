package dev.portdoctor.cli;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.render.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one entry point, for {@code Main} and for tests: parses, dispatches, maps every failure to one
 * line on stderr and an exit code. It never calls {@code System.exit}.
 */
public final class PortDoctorCli {
  private PortDoctorCli() {}

  private static Map<String, Command> commands() {
    Map<String, Command> m = new LinkedHashMap<>();
    m.put("check", new CheckCommand());
    m.put("who", new WhoCommand());
    m.put("list", new ListCommand());
    m.put("kill", new KillCommand());
    m.put("parse", new ParseCommand());
    m.put("wait", new WaitCommand());
    m.put("free", new FreeCommand());
    m.put("completion", new CompletionCommand());
    m.put("stats", new StatsCommand());
    m.put("mcp", new McpCommand());
    m.put("watch", new WatchCommand());
    return m;
  }

  /** The whole command tree, for build-time tools (man pages, completion scripts). */
  static CommandLine commandLine() {
    return commandLine(commands());
  }

  static CommandLine commandLine(Map<String, Command> commands) {
    // the version is read from the jar only for --version (a resource read costs a cold JVM ~5 ms)
    CommandSpec root = CommandSpec.create().name("portdoctor").versionProvider(new Version());
    Options.help(root);
    Options.version(root);
    root.usageMessage()
        .description(
            "A doctor for port conflicts: is a port free, who holds it, and how to free it.",
            "Run 'portdoctor COMMAND --help' for a command's options and examples.")
        .commandListHeading("%nCommands:%n")
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCode.helpList())
        .footerHeading("%nExamples:%n")
        .footer("  portdoctor check 8080", "  portdoctor who 443", "  portdoctor list --json");
    CommandLine cl = new CommandLine(root);
    for (Map.Entry<String, Command> e : commands.entrySet()) {
      cl.addSubcommand(e.getKey(), new CommandLine(e.getValue().spec()));
    }
    return cl;
  }

  /**
   * The commands to build for a command line: when it starts with a command's name, that command alone
   * (building all nine specs costs a cold JVM about 30 ms, more than the work of {@code who} on a quiet
   * machine); for {@code --version} alone, none; else, and for {@code completion}, which describes the
   * whole tree, every command (root help, usage errors and their suggestions).
   */
  static Map<String, Command> tree(Map<String, Command> commands, String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      return Map.of(); // the version line names no command
    }
    if (args.length == 0 || !commands.containsKey(args[0]) || args[0].equals("completion")) {
      return commands;
    }
    Map<String, Command> one = new LinkedHashMap<>();
    one.put(args[0], commands.get(args[0]));
    return one;
  }

  /**
   * Runs one command line for {@code Main}: the real platform, the user's answers read from {@code in}.
   * The launcher's training run ({@link Training}) comes through here too, so that the start-up archive
   * holds these lambdas: a lambda spun at run time costs a cold JVM about 9 ms (measured with
   * {@code -Xlog:class+load}: {@code Main}'s two lambdas were the only ones made on every call).
   */
  public static int runProcess(String[] args, PrintWriter out, PrintWriter err, Context.Terminal terminal,
      java.io.BufferedReader in) {
    return run(args, out, err, terminal, dev.portdoctor.os.Platforms::detect, () -> {
      try {
        return in.readLine();
      } catch (IOException e) {
        return null;
      }
    });
  }

  /**
   * Runs one command line.
   *
   * @param platforms created only when a command needs the OS
   * @return the exit code
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Context.Terminal terminal,
      Function<String, Platform> platforms) {
    return run(args, out, err, terminal, platforms, () -> null);
  }

  /**
   * Runs one command line.
   *
   * @param platforms makes the platform for a socket source name ({@code auto} unless --source says)
   * @param input the user's answers to questions (kill's confirmation), a line at a time
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Context.Terminal terminal,
      Function<String, Platform> platforms, Supplier<String> input) {
    return run(args, out, err, terminal, platforms, input, Environment.system());
  }

  /**
   * Runs one command line.
   *
   * @param environment the clock, connector and randomness of {@code wait} and {@code free}
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Context.Terminal terminal,
      Function<String, Platform> platforms, Supplier<String> input, Environment environment) {
    boolean verbose = false;
    boolean stacktrace = false;
    for (String a : args) {
      if (a.equals("-v") || a.equals("--verbose")) {
        verbose = true;
      } else if (a.equals("--stacktrace")) {
        stacktrace = true;
      } else if (a.equals("--")) {
        break;
      }
    }
    if (verbose) {
      Log.enableDebug();
    }
    Map<String, Command> commands = commands();
    CommandLine cl = commandLine(tree(commands, args));
    dev.portdoctor.core.Timing.mark("command tree");
    cl.setOut(out);
    cl.setErr(err);
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(
        terminal.color() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    String where = "portdoctor";
    try {
      ParseResult pr = cl.parseArgs(args);
      dev.portdoctor.core.Timing.mark("parsed");
      if (pr.hasSubcommand()) {
        where = "portdoctor " + pr.subcommand().commandSpec().name();
      }
      if (!pr.unmatched().isEmpty()) {
        // picocli lets a help request pass with unmatched words ("portdoctor nosuch --help")
        throw new CommandLine.UnmatchedArgumentException(cl, pr.unmatched());
      }
      if (CommandLine.printHelpIfRequested(pr)) {
        out.flush();
        return ExitCode.OK.code();
      }
      if (!pr.hasSubcommand()) {
        cl.usage(err);
        err.flush();
        return ExitCode.USAGE.code();
      }
      ParseResult sub = pr.subcommand();
      String source = sub.hasMatchedOption(Options.SOURCE) ? sub.matchedOptionValue(Options.SOURCE, "auto") : "auto";
      Context ctx = new Context(out, err, terminal, () -> platforms.apply(source), input, environment);
      int code = commands.get(sub.commandSpec().name()).run(sub, ctx);
      dev.portdoctor.core.Timing.mark("printed");
      out.flush();
      return code;
    } catch (ParameterException e) {
      CommandLine failed = e.getCommandLine();
      String cmd = failed == null ? where : failed.getCommandSpec().qualifiedName();
      error(err, e.getMessage() + " (see '" + cmd + " --help')", e, stacktrace || verbose);
      return ExitCode.USAGE.code();
    } catch (PortDoctorException e) {
      error(err, e.getMessage(), e, stacktrace || verbose);
      return e.exitCode();
    } catch (RuntimeException | Error e) {
      error(err, "internal error: " + e + (stacktrace || verbose ? "" : " (run again with --stacktrace for details, and please report it)"),
          e, stacktrace || verbose);
      return ExitCode.INTERNAL.code();
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static void error(PrintWriter err, String message, Throwable t, boolean trace) {
    err.println("portdoctor: " + Text.escape(message));
    if (trace) {
      t.printStackTrace(err);
    }
    err.flush();
  }

  /** {@code portdoctor VERSION}, for {@code --version}. */
  private static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"portdoctor " + version()};
    }
  }

  static String version() {
    try (InputStream in = PortDoctorCli.class.getResourceAsStream("/dev/portdoctor/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
