package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.portdoctor.core.Platform;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.Fixtures;
import dev.portdoctor.testkit.JsonOut;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real captures as people paste them (forum posts, issue threads, tickets, this machine), each beside
 * a {@code .expect} file that says where it came from and what a person reads off it by hand
 * (format: {@code src/test/resources/fixtures/pasted/README.md}). {@code parse FILE --all --tcp --udp
 * --json} must detect the format, give exactly the expected number of sockets, show every expected
 * fact, name the expected number of lines on stderr, and print no PID that the text does not hold.
 */
class PastedCapturesTest {
  static final Path DIR = Path.of("src", "test", "resources", "fixtures", "pasted");
  private static final Supplier<Platform> NO_OS = () -> {
    throw new AssertionError("parse must not read this machine's sockets");
  };
  private static final Pattern FACT = Pattern.compile(
      "(TCP|UDP)\\s+(\\S+)(?:\\s+->\\s+(\\S+))?(?:\\s+([A-Z_0-9-]+))?\\s+(pid \\?|pids? [0-9, ]+)(?:\\s+name\\s+(.+))?");

  static Stream<String> captures() {
    try (Stream<Path> s = Files.walk(DIR)) {
      return s.filter(p -> p.toString().endsWith(".txt")).map(p -> DIR.relativize(p).toString()).sorted()
          .toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What an {@code .expect} file says. */
  record Expect(String format, int rows, List<String> facts, int notes, List<String> args, int exit, String source,
      int ranges, List<String> rangeFacts) {
    static Expect read(Path p) {
      String format = null;
      int rows = -1;
      int ranges = -1;
      List<String> rangeFacts = new ArrayList<>();
      int notes = -1;
      int exit = 0;
      String source = null;
      List<String> facts = new ArrayList<>();
      List<String> args = new ArrayList<>();
      for (String raw : Fixtures.read(p).lines().toList()) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int colon = line.indexOf(':');
        if (colon < 0) {
          throw new AssertionError(p + ": not 'key: value': " + line);
        }
        String key = line.substring(0, colon).strip();
        String value = line.substring(colon + 1).strip();
        switch (key) {
          case "source" -> source = value;
          case "command", "os", "note" -> { }
          case "format" -> format = value;
          case "rows" -> rows = Integer.parseInt(value);
          case "notes" -> notes = Integer.parseInt(value);
          case "exit" -> exit = Integer.parseInt(value);
          case "args" -> args.addAll(List.of(value.split("\\s+")));
          case "fact" -> facts.add(value);
          case "ranges" -> ranges = Integer.parseInt(value);
          case "range" -> rangeFacts.add(value);
          default -> throw new AssertionError(p + ": unknown key '" + key + "'");
        }
      }
      if (format == null || rows < 0 || source == null) {
        throw new AssertionError(p + ": needs source:, format: and rows:");
      }
      if (format.equals("excludedportrange") != (ranges >= 0) || (ranges < 0 && !rangeFacts.isEmpty())) {
        throw new AssertionError(p + ": ranges: and range: belong to excludedportrange captures, and they need ranges:");
      }
      return new Expect(format, rows, facts, notes, args, exit, source, ranges, rangeFacts);
    }
  }

  @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
  @MethodSource("captures")
  void readsEveryFactOfEveryPastedCapture(String name) {
    Path capture = DIR.resolve(name);
    Path expectFile = DIR.resolve(name.substring(0, name.length() - 4) + ".expect");
    assertTrue(Files.isRegularFile(expectFile), () -> name + " has no .expect beside it (provenance and facts)");
    Expect x = Expect.read(expectFile);
    List<String> argv = new ArrayList<>(List.of("parse", capture.toString(), "--all", "--tcp", "--udp", "--json"));
    argv.addAll(x.args());
    Result r = CliRunner.run(NO_OS, argv.toArray(new String[0]));
    assertEquals(x.exit(), r.exit(), r::toString);
    if (x.exit() != 0 && x.exit() != 1) {
      return;
    }
    Map<String, Object> json = JsonOut.parse(r.out());
    assertEquals(x.format(), json.get("format"), r::toString);
    if (x.ranges() >= 0) {
      List<Map<String, Object>> ranges = JsonOut.list(json.get("ranges"));
      assertEquals(x.ranges(), ranges.size(), () -> "ranges of " + name + "\n" + r);
      for (String range : x.rangeFacts()) {
        assertTrue(ranges.stream().anyMatch(g -> matchesRange(range, g)), () -> "range not found: " + range + "\n" + r);
      }
      if (x.notes() >= 0) {
        assertEquals(x.notes(), JsonOut.list(json.get("lineNotes")).size(), () -> "lines named on stderr\n" + r);
      }
      return;
    }
    List<Map<String, Object>> sockets = JsonOut.list(json.get("sockets"));
    assertEquals(x.rows(), sockets.size(), () -> "sockets of " + name + "\n" + r);
    for (String fact : x.facts()) {
      assertTrue(sockets.stream().anyMatch(s -> matches(fact, s)), () -> "fact not found: " + fact + "\n" + r);
    }
    if (x.notes() >= 0) {
      assertEquals(x.notes(), JsonOut.list(json.get("lineNotes")).size(), () -> "lines named on stderr\n" + r);
    }
    assertNoInventedPid(Fixtures.read(capture), sockets, r);
  }

  /** Every PID in the output stands in the capture as a number of its own. */
  static void assertNoInventedPid(String text, List<Map<String, Object>> sockets, Result r) {
    Set<String> numbers = new HashSet<>();
    for (String t : List.of(text, unwrapped(text))) {
      Matcher m = Pattern.compile("\\d+").matcher(t);
      while (m.find()) {
        numbers.add(m.group().replaceFirst("^0+(?=\\d)", ""));
      }
    }
    for (Map<String, Object> s : sockets) {
      for (long pid : JsonOut.pids(s)) {
        assertTrue(numbers.contains(Long.toString(pid)), () -> "pid " + pid + " is not in the capture\n" + r);
      }
    }
  }

  /**
   * The text with every line that fills the terminal's width (the longest line's, 60 or more) joined to
   * the next: a terminal that wraps there may cut a PID in two ({@code pid=1} / {@code 6941}).
   */
  static String unwrapped(String text) {
    List<String> lines = text.lines().toList();
    int width = lines.stream().mapToInt(String::length).max().orElse(0);
    if (width < 60) {
      return text;
    }
    StringBuilder b = new StringBuilder();
    for (String l : lines) {
      b.append(l).append(l.length() == width ? "" : "\n");
    }
    return b.toString();
  }

  /** {@code TCP 0.0.0.0:80 [-> REMOTE] [STATE] pid N|pids A, B|pid ? [name X]} against one JSON socket. */
  static boolean matches(String fact, Map<String, Object> s) {
    Matcher m = FACT.matcher(fact);
    if (!m.matches()) {
      throw new AssertionError("not a fact: " + fact);
    }
    if (!m.group(1).toLowerCase(Locale.ROOT).equals(s.get("protocol"))) {
      return false;
    }
    if (!endpoint(s.get("localAddress"), s.get("localPort")).equals(m.group(2))) {
      return false;
    }
    if (m.group(3) != null && !m.group(3).equals(endpoint(s.get("remoteAddress"), s.get("remotePort")))) {
      return false;
    }
    if (m.group(4) != null && !state(m.group(4)).equals(state(String.valueOf(s.get("state"))))) {
      return false;
    }
    List<Long> pids = JsonOut.pids(s);
    String who = m.group(5);
    if (who.equals("pid ?")) {
      if (!pids.isEmpty()) {
        return false;
      }
    } else {
      for (String p : who.replaceFirst("pids? ", "").split(",")) {
        if (!pids.contains(Long.parseLong(p.strip()))) {
          return false;
        }
      }
    }
    if (m.group(6) != null) {
      String want = m.group(6).strip();
      return JsonOut.list(s.get("processes")).stream().anyMatch(p -> want.equals(p.get("name")));
    }
    return true;
  }

  private static final Pattern RANGE = Pattern.compile("(\\d+) (\\d+)( \\*)?");

  /** {@code START END} or {@code START END *} (administered) against one JSON range. */
  static boolean matchesRange(String fact, Map<String, Object> g) {
    Matcher m = RANGE.matcher(fact);
    if (!m.matches()) {
      throw new AssertionError("not a range: " + fact);
    }
    return Long.parseLong(m.group(1)) == ((Number) g.get("start")).longValue()
        && Long.parseLong(m.group(2)) == ((Number) g.get("end")).longValue()
        && (m.group(3) != null) == Boolean.TRUE.equals(g.get("administered"));
  }

  static String endpoint(Object address, Object port) {
    String a = String.valueOf(address);
    String p = port == null ? "*" : String.valueOf(port);
    return (a.indexOf(':') >= 0 ? "[" + a + "]" : a) + ":" + p;
  }

  /** LISTENING, LISTEN; ESTAB, ESTABLISHED; TIME-WAIT, TIME_WAIT; UNCONN and no state: one spelling each. */
  static String state(String s) {
    String u = s.toUpperCase(Locale.ROOT).replace('-', '_');
    return switch (u) {
      case "LISTENING" -> "LISTEN";
      case "ESTAB" -> "ESTABLISHED";
      case "SYN_RCVD" -> "SYN_RECV";
      default -> u;
    };
  }

  @Test
  void everyExpectFileHasItsCapture() throws IOException {
    try (Stream<Path> s = Files.walk(DIR)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".expect")).toList()) {
        String txt = p.toString().substring(0, p.toString().length() - ".expect".length()) + ".txt";
        assertTrue(Files.isRegularFile(Path.of(txt)), () -> p + " has no capture beside it");
      }
    }
  }

  @Test
  void theFactMatcherCanFail() {
    Map<String, Object> s = JsonOut.parse("{\"protocol\":\"tcp\",\"localAddress\":\"0.0.0.0\",\"localPort\":80,"
        + "\"remoteAddress\":null,\"remotePort\":null,\"state\":\"LISTEN\",\"processes\":[{\"pid\":4}]}");
    assertTrue(matches("TCP 0.0.0.0:80 LISTENING pid 4", s));
    assertFalse(matches("TCP 0.0.0.0:80 LISTEN pid 5", s));
    assertFalse(matches("TCP 0.0.0.0:80 ESTABLISHED pid 4", s));
    assertFalse(matches("UDP 0.0.0.0:80 pid 4", s));
    assertFalse(matches("TCP 0.0.0.0:80 pid ?", s));
    try {
      matches("nonsense", s);
      fail("a malformed fact must not pass");
    } catch (AssertionError expected) {
      // the point
    }
    Map<String, Object> g = JsonOut.parse("{\"start\":50000,\"end\":50059,\"administered\":true}");
    assertTrue(matchesRange("50000 50059 *", g));
    assertFalse(matchesRange("50000 50059", g));
    assertFalse(matchesRange("50000 50060 *", g));
  }
}
