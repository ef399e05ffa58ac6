package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Platform;
import dev.portdoctor.os.CaptureFormat;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.Fixtures;
import dev.portdoctor.testkit.JsonOut;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** portdoctor parse on every real capture: the format is detected, the facts come out, bad input is exit 2. */
class ParseCommandTest {
  private static final Supplier<Platform> NO_OS = () -> {
    throw new AssertionError("parse must not read this machine's sockets");
  };

  private static Result parse(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "parse";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRunner.run(NO_OS, all);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "../shared/fixtures/windows-netstat/jc-win10-netstat-aon-en.txt, netstat",
    "../shared/fixtures/windows-netstat/jc-win10-netstat-aonb-en.txt, netstat",
    "../shared/fixtures/windows-netstat/inspec-winsrv-netstat-anbo-select-string.txt, netstat",
    "../shared/fixtures/linux/jc-ubuntu1804-ss-tulpen.txt, ss",
    "../shared/fixtures/linux/jc-proc-net-tcp.txt, proc",
    "../shared/fixtures/linux/jc-proc-net-tcp6.txt, proc",
    "../shared/fixtures/linux/jc-centos77-netstat-lnp.txt, linux-netstat",
    "../shared/fixtures/linux/jc-ubuntu1804-netstat-lnp-space-names.txt, linux-netstat",
    "src/test/resources/fixtures/windows/netstat-ano-de-win81.txt, netstat",
    "src/test/resources/fixtures/windows/netstat-nabo-es.txt, netstat",
    "src/test/resources/fixtures/windows/netstat-anb-fr-head.txt, netstat",
    "src/test/resources/fixtures/windows/netstat-ano-zh-excerpt.txt, netstat",
    "src/test/resources/fixtures/windows/excludedportrange-tcp-es.txt, excludedportrange",
    "src/test/resources/fixtures/windows/excludedportrange-tcp-en-administered.txt, excludedportrange",
    "src/test/resources/fixtures/ss/devvm-Htanup.txt, ss",
    "src/test/resources/fixtures/ss/devvm-ltnp.txt, ss",
    "src/test/resources/fixtures/netstat-linux/devvm-tulpn.txt, linux-netstat",
    "src/test/resources/fixtures/lsof/devvm-F0.txt, lsof",
    "src/test/resources/fixtures/lsof/devvm-F.txt, lsof",
    "src/test/resources/fixtures/netstat-mac/incidentpack-anv.txt, bsd-netstat",
    "src/test/resources/fixtures/netstat-mac/pidport14-tahoe-anv-tcp.txt, bsd-netstat",
    "src/test/resources/fixtures/proc-net/udp.txt, proc",
    "src/test/resources/fixtures/pasted/lsof-table/devvm-nP-iTCP-sTCP-LISTEN.txt, lsof-table",
    "src/test/resources/fixtures/pasted/lsof-table/knitsketching4-mac-nP-grep-7000.txt, lsof-table",
    "src/test/resources/fixtures/pasted/lsof-table/unifipfsense129-freebsd-i.txt, lsof-table",
    "src/test/resources/fixtures/pasted/powershell-table/askai-ollama-localport-11434.txt, powershell-table",
    "src/test/resources/fixtures/pasted/netstat-no-pid/powertoys23993-ab-names.txt, netstat",
  })
  void detectsTheFormatOfEveryCapture(String file, String format) {
    Path p = file.startsWith("../shared") ? Fixtures.shared(file.substring("../shared/fixtures/".length())) : Path.of(file);
    String text = Fixtures.read(p);
    assertEquals(format, CaptureFormat.detect(text).map(CaptureFormat::id).orElse("none"));
    Result r = parse(p.toString(), "--all", "--tcp", "--udp", "--json");
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> json = JsonOut.parse(r.out());
    assertEquals(format, json.get("format"));
  }

  @Test
  void windowsNetstatFactsThroughTheCli() {
    Path p = Fixtures.shared("windows-netstat/jc-win10-netstat-aonb-en.txt");
    Result r = parse(p.toString(), "--port", "7070", "--json");
    assertEquals(0, r.exit(), r::toString);
    List<Map<String, Object>> socks = JsonOut.list(JsonOut.parse(r.out()).get("sockets"));
    assertEquals(1, socks.size(), r::toString);
    assertEquals(List.of(6608L), JsonOut.pids(socks.get(0)));
    assertEquals("AnyDesk.exe", JsonOut.list(socks.get(0).get("processes")).get(0).get("name"));

    Result udp = parse(Fixtures.shared("windows-netstat/jc-win10-netstat-aon-en.txt").toString(), "--udp", "--port", "5353", "--json");
    List<Map<String, Object>> u = JsonOut.list(JsonOut.parse(udp.out()).get("sockets"));
    assertTrue(u.stream().flatMap(s -> JsonOut.pids(s).stream()).toList().containsAll(List.of(3404L, 14156L, 27696L)), udp::toString);

    Result pid = parse(p.toString(), "--pid", "1712");
    assertTrue(pid.out().contains("0.0.0.0:135") && !pid.out().contains("7070"), pid::toString);
  }

  @Test
  void excludedRangesAreListed() {
    Result r = parse("src/test/resources/fixtures/windows/excludedportrange-tcp-en-administered.txt", "--json");
    assertEquals(0, r.exit(), r::toString);
    List<Map<String, Object>> ranges = JsonOut.list(JsonOut.parse(r.out()).get("ranges"));
    assertTrue(ranges.stream().anyMatch(x -> x.get("start").equals(55679) && x.get("administered").equals(true)), r::toString);
  }

  @Test
  void unreadableInputNamesTheFirstBadLineAndExits2(@TempDir Path dir) throws Exception {
    Path garbage = dir.resolve("garbage.txt");
    Files.writeString(garbage, "hello\nthis is not netstat\n", StandardCharsets.UTF_8);
    Result unknown = parse(garbage.toString());
    assertEquals(2, unknown.exit(), unknown::toString);
    assertTrue(unknown.err().contains("cannot tell the format") && unknown.err().contains("--format"), unknown::toString);

    Path bad = dir.resolve("bad.txt");
    Files.writeString(bad, "  TCP    0.0.0.0:135   0.0.0.0:0   LISTENING   1712\n  TCP    nonsense\n  TCP   also:bad\n");
    Result partly = parse(bad.toString(), "--format", "netstat");
    assertEquals(0, partly.exit(), partly::toString);
    assertTrue(partly.out().contains("0.0.0.0:135"), partly::toString);
    assertTrue(partly.err().contains("skipped 2 line(s)") && partly.err().contains("first: line 2"), partly::toString);

    Path none = dir.resolve("none.txt");
    Files.writeString(none, "  TCP    nonsense\n");
    Result nothing = parse(none.toString(), "--format", "netstat");
    assertEquals(2, nothing.exit(), nothing::toString);
    assertTrue(nothing.err().contains("line 1 cannot be read as netstat"), nothing::toString);
    assertEquals(1, nothing.err().lines().count(), nothing::toString);

    Result missing = parse(dir.resolve("nope.txt").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("no such file"), missing::toString);

    Result badFormat = parse(none.toString(), "--format", "pdf");
    assertEquals(2, badFormat.exit());
    assertTrue(badFormat.err().contains("invalid --format 'pdf'"), badFormat::toString);
    assertFalse(badFormat.err().contains("\tat "));
  }

  /**
   * SYNTHETIC: a PowerShell table whose OwningProcess the console cut, and an lsof row with an unknown
   * service name and an escape sequence in the command: each problem line is named on stderr, once,
   * with its number, and no control character reaches the terminal.
   */
  @Test
  void newFormatsNameTheirProblemLinesOnStderr(@TempDir Path dir) throws Exception {
    Path ps = dir.resolve("ps.txt");
    Files.writeString(ps, String.join("\n",
        "LocalAddress LocalPort RemoteAddress RemotePort State  OwningProcess",
        "------------ --------- ------------- ---------- -----  -------------",
        "0.0.0.0      8080      0.0.0.0       0          Listen 12\u2026",
        "0.0.0.0      8081      0.0.0.0       0          Listen 4242", ""), StandardCharsets.UTF_8);
    Result r = parse(ps.toString(), "--json");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.err().contains("line 3 read in part (OwningProcess cut by the console: owner unknown)"), r::toString);
    assertEquals(2, r.err().lines().count(), r::toString);
    Map<String, Object> json = JsonOut.parse(r.out());
    assertEquals("powershell-table", json.get("format"));
    List<Map<String, Object>> socks = JsonOut.list(json.get("sockets"));
    Map<String, Object> cut = socks.stream().filter(x -> x.get("localPort").equals(8080)).findFirst().orElseThrow();
    assertEquals("unknown", cut.get("ownerStatus"));
    assertTrue(JsonOut.pids(cut).isEmpty(), "12… is not a PID");

    Path lsof = dir.resolve("lsof.txt");
    Files.writeString(lsof, String.join("\n",
        "COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME",
        "evil\u001b[2J 7 me  3u  IPv4 0x1 0t0  TCP *:nosuchsvc\u001b]0; (LISTEN)",
        "node      8 me    4u  IPv4 0x2      0t0  TCP *:3000 (LISTEN)", ""), StandardCharsets.UTF_8);
    Result l = parse(lsof.toString());
    assertEquals(0, l.exit(), l::toString);
    assertTrue(l.err().contains("line 2 skipped (unknown service name"), l::toString);
    assertFalse(l.err().contains("\u001b"), "the escape reaches the terminal escaped, never raw");
    assertTrue(l.out().contains("0.0.0.0:3000"), l::toString);
  }
  /**
   * A real pfSense capture (lsof -i, provenance in its .expect) holds UDP sockets only: read as TCP, the
   * default, nothing shows, and stderr says why and which option shows them; its skipped *:* rows are
   * counted as skipped, not as unreadable.
   */
  @Test
  void aCaptureWithNoMatchingRowSaysWhichOptionShowsIt() {
    String file = "src/test/resources/fixtures/pasted/lsof-table/unifipfsense129-freebsd-i.txt";
    Result tcp = parse(file);
    assertEquals(1, tcp.exit(), tcp::toString);
    assertTrue(tcp.err().contains("none of the 3 socket(s) read matches: 3 UDP socket(s) (add --udp)"), tcp::toString);
    assertTrue(tcp.err().contains("skipped 8 line(s) of this lsof-table capture (first: line 4)"), tcp::toString);
    assertFalse(tcp.err().contains("could not be read"), tcp::toString);

    Result udp = parse(file, "--udp", "--port", "18000-18200", "--pid", "1");
    assertEquals(1, udp.exit(), udp::toString);
    assertTrue(udp.err().contains("none of the 3 socket(s) read matches: 2 on other ports than --port, 1 of other processes than --pid 1"), udp::toString);

    Result shown = parse(file, "--udp");
    assertEquals(0, shown.exit(), shown::toString);
    assertTrue(shown.out().contains("syslogd") && shown.out().contains("localhost:18127"), shown::toString);
    assertFalse(shown.err().contains("none of the"), shown::toString);
  }
}
