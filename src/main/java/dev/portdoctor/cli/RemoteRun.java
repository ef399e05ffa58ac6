package dev.portdoctor.cli;

import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.os.remote.HostSpec;
import dev.portdoctor.os.remote.RemoteException;
import dev.portdoctor.os.remote.RemoteReader;
import dev.portdoctor.os.remote.SshTransport;
import dev.portdoctor.os.remote.Transport;
import dev.portdoctor.render.Json;
import dev.portdoctor.render.JsonModel;
import dev.portdoctor.render.Text;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.ParseResult;

/**
 * {@code --on} and {@code --hosts}: the hosts to ask, asked in parallel (at most {@link #PARALLEL} at a
 * time), each through its own ssh calls, and one answer per host in the order given: as text, a section
 * per host; as JSON, one document with a {@code hosts} array. A host that cannot be asked is an error of
 * that host (exit 6 unless something worse happened elsewhere), never left out.
 */
final class RemoteRun {
  /** Hosts asked at once. */
  static final int PARALLEL = 8;
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  private RemoteRun() {}

  /** What one host answered, or why it could not. */
  record HostAnswer(HostSpec host, int exitCode, Optional<String> os, Optional<String> source,
      Map<String, Object> result, String text, Optional<RemoteException> error, Map<String, Object> extra) {}

  /** The work for one host: its reads, the use case, the rendering. */
  interface Task {
    HostAnswer ask(HostSpec host, RemoteReader reader, Context ctx);
  }

  /** The hosts of --on and --hosts, in order, each once. */
  static List<HostSpec> hosts(ParseResult pr) {
    if (pr.hasMatchedOption(Options.SOURCE)) {
      throw PortDoctorException.usage("--source does not go with --on or --hosts: each host's own tools are read"
          + " (ss, else netstat, else lsof; lsof, else netstat -anv on macOS; PowerShell, else netstat -ano on Windows)");
    }
    List<HostSpec> hosts = new ArrayList<>();
    if (pr.hasMatchedOption(Options.ON)) {
      for (String v : pr.matchedOptionValue(Options.ON, new String[0])) {
        hosts.addAll(HostSpec.parseList(v));
      }
    }
    if (pr.hasMatchedOption(Options.HOSTS)) {
      hosts.addAll(Inventory.read(Path.of(pr.matchedOptionValue(Options.HOSTS, ""))));
    }
    Map<String, HostSpec> unique = new LinkedHashMap<>();
    for (HostSpec h : hosts) {
      unique.putIfAbsent(h.name(), h);
    }
    if (unique.isEmpty()) {
      throw PortDoctorException.usage("no host to ask: --hosts names a file without hosts");
    }
    return new ArrayList<>(unique.values());
  }

  static Duration timeout(ParseResult pr) {
    if (!pr.hasMatchedOption(Options.SSH_TIMEOUT)) {
      return DEFAULT_TIMEOUT;
    }
    Duration d = Durations.parse(Options.SSH_TIMEOUT, pr.matchedOptionValue(Options.SSH_TIMEOUT, "15s"));
    if (d.toMillis() < 100) {
      throw PortDoctorException.usage("invalid " + Options.SSH_TIMEOUT + " '" + d.toMillis() + "ms': expected at least 100ms");
    }
    return d;
  }

  /** The transport of the environment (tests), or the system ssh client with --ssh-config and the timeout. */
  static Transport transport(ParseResult pr, Context ctx, Duration timeout) {
    if (ctx.environment().remoteTransport() instanceof Transport t) {
      return t;
    }
    Optional<Path> config = Optional.empty();
    if (pr.hasMatchedOption(Options.SSH_CONFIG)) {
      Path p = Path.of(pr.matchedOptionValue(Options.SSH_CONFIG, ""));
      if (!java.nio.file.Files.isRegularFile(p)) {
        throw PortDoctorException.usage("invalid " + Options.SSH_CONFIG + " '" + p + "': no such file");
      }
      config = Optional.of(p);
    }
    String ssh = System.getenv("PORTDOCTOR_SSH");
    int connect = (int) Math.max(1, Math.min(10, (timeout.toMillis() + 999) / 1000));
    return new SshTransport(ssh == null || ssh.isBlank() ? "ssh" : ssh, config, connect);
  }

  /** Asks every host, prints one answer per host, returns the worst exit code. */
  static int run(String command, ParseResult pr, Context ctx, Task task) {
    List<HostSpec> hosts = hosts(pr);
    Duration timeout = timeout(pr);
    RemoteReader reader = new RemoteReader(transport(pr, ctx, timeout), timeout);
    List<HostAnswer> answers = askAll(hosts, reader, ctx, task);
    print(command, answers, ctx, Options.has(pr, Options.JSON), Options.has(pr, Options.QUIET));
    int worst = 0;
    for (HostAnswer a : answers) {
      worst = Math.max(worst, a.exitCode());
    }
    return worst;
  }

  static List<HostAnswer> askAll(List<HostSpec> hosts, RemoteReader reader, Context ctx, Task task) {
    if (hosts.size() == 1) {
      return List.of(askOne(hosts.get(0), reader, ctx, task));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, hosts.size()), r -> {
      Thread t = new Thread(r, "host");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<HostAnswer>> futures = new ArrayList<>();
      for (HostSpec h : hosts) {
        futures.add(pool.submit(() -> askOne(h, reader, ctx, task)));
      }
      List<HostAnswer> out = new ArrayList<>();
      for (Future<HostAnswer> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PortDoctorException(130, "interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(c);
    } finally {
      pool.shutdownNow();
    }
  }

  private static HostAnswer askOne(HostSpec h, RemoteReader reader, Context ctx, Task task) {
    try {
      return task.ask(h, reader, ctx);
    } catch (RemoteException e) {
      return failed(h, e);
    } catch (PortDoctorException e) {
      if (e.exitCode() == PortDoctorException.USAGE || e.exitCode() == 130) {
        throw e;
      }
      return failed(h, new RemoteException("remote", h + ": " + e.getMessage()));
    }
  }

  static HostAnswer failed(HostSpec h, RemoteException e) {
    return new HostAnswer(h, e.exitCode(), Optional.empty(), Optional.empty(), null, "", Optional.of(e), Map.of());
  }

  /** An answer: the use case's result as JSON (its envelope left out) and as text. */
  static HostAnswer answer(HostSpec h, int code, String os, String source, Map<String, Object> json,
      java.util.function.Consumer<PrintWriter> text, Map<String, Object> extra) {
    json.remove("schemaVersion");
    json.remove("command");
    StringWriter sw = new StringWriter();
    PrintWriter pw = new PrintWriter(sw);
    text.accept(pw);
    pw.flush();
    return new HostAnswer(h, code, Optional.of(os), Optional.of(source), json, sw.toString(), Optional.empty(), extra);
  }

  static void print(String command, List<HostAnswer> answers, Context ctx, boolean json, boolean quiet) {
    for (HostAnswer a : answers) {
      a.error().ifPresent(e -> ctx.err().println("portdoctor: " + Text.escape(e.getMessage())));
    }
    ctx.err().flush();
    if (json) {
      Map<String, Object> doc = JsonModel.envelope(command);
      List<Object> hosts = new ArrayList<>();
      for (HostAnswer a : answers) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("host", a.host().name());
        h.put("destination", a.host().destination());
        h.put("sshPort", a.host().port().isPresent() ? a.host().port().getAsInt() : null);
        h.put("os", a.os().orElse(null));
        h.put("source", a.source().orElse(null));
        h.put("exitCode", a.exitCode());
        if (a.error().isPresent()) {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("kind", a.error().get().kind());
          e.put("message", a.error().get().getMessage());
          h.put("error", e);
        } else {
          h.put("error", null);
        }
        h.putAll(a.extra());
        h.put("result", a.result());
        hosts.add(h);
      }
      doc.put("hosts", hosts);
      Json.write(doc, ctx.out());
      return;
    }
    if (quiet) {
      return;
    }
    PrintWriter out = ctx.out();
    for (HostAnswer a : answers) {
      if (a.error().isPresent()) {
        String m = a.error().get().getMessage();
        String prefix = a.host().name() + ": ";
        out.println(ctx.style().bold(Text.escape(a.host().name())) + ": ERROR (" + a.error().get().kind() + "): "
            + Text.escape(m.startsWith(prefix) ? m.substring(prefix.length()) : m));
        continue;
      }
      out.println(ctx.style().bold(Text.escape(a.host().name())) + " (" + Text.escape(a.os().orElse("?")) + ", "
          + Text.escape(a.source().orElse("?")) + ")");
      for (String line : a.text().split("\n", -1)) {
        if (!line.isEmpty()) {
          out.println("  " + line);
        }
      }
    }
    out.flush();
  }

  /** The text width for a host's section (two columns go to the indent). */
  static int width(Context ctx) {
    int w = ctx.terminal().width();
    return w == 0 ? 0 : Math.max(40, w - 2);
  }

  /** Distinct values, in order. */
  static <T> List<T> distinct(List<T> items) {
    return new ArrayList<>(new LinkedHashSet<>(items));
  }
}
