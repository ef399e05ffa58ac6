package dev.portdoctor.trust;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.os.CaptureFormat;
import dev.portdoctor.render.Text;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.Fixtures;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parse FILE} on hostile captures, with {@code --format auto} and every format: random bytes,
 * NUL bytes, mixed and broken encodings, real captures cut at random points; and, run as the jar with
 * {@code -Xmx64m}, a 10 MB single line and 100,000 nested brackets. Every run exits 0, 1 or 2, prints
 * at most 21 lines on stderr (the unreadable lines by number, then a count; exactly one on failure), never a stack trace, never a raw control
 * character, valid JSON when it prints any, and finishes within a bound: never a hang, never an
 * OutOfMemoryError or StackOverflowError (those would be exit 70, "internal error").
 */
class ParseFuzzIT {
  private static final long SEED = 20261129L;
  /** One parse of a small input, in this JVM. */
  private static final Duration SMALL_BOUND = Duration.ofSeconds(5);
  /** One run of the jar on a big input, JVM start included. */
  private static final Duration BIG_BOUND = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static List<String> formats() {
    List<String> f = new ArrayList<>(List.of("auto"));
    Arrays.stream(CaptureFormat.values()).map(CaptureFormat::id).forEach(f::add);
    return f;
  }

  /** Our own captures and, when beside the checkout, the shared ones. */
  private static List<Path> captures() throws IOException {
    List<Path> all = new ArrayList<>();
    for (Path root : List.of(Path.of("src", "test", "resources", "fixtures"), Fixtures.SHARED)) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> s = Files.walk(root)) {
          s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".txt")).sorted().forEach(all::add);
        }
      }
    }
    assertTrue(all.size() >= 20, "the real captures are there: " + all);
    return all;
  }

  /** The small hostile inputs, by name. */
  private Map<String, byte[]> smallInputs() throws IOException {
    Random rnd = new Random(SEED);
    Map<String, byte[]> in = new LinkedHashMap<>();
    in.put("empty", new byte[0]);
    in.put("nul-bytes", new byte[4096]);
    for (int i = 0; i < 6; i++) {
      byte[] b = new byte[1 + rnd.nextInt(i < 3 ? 200 : 64 * 1024)];
      rnd.nextBytes(b);
      in.put("random-" + i, b);
    }
    for (Path p : captures()) {
      byte[] real = Files.readAllBytes(p);
      String name = p.getFileName().toString();
      in.put("cut-" + name, Arrays.copyOf(real, rnd.nextInt(real.length + 1)));
      byte[] nuls = real.clone();
      for (int k = 0; k < 1 + nuls.length / 64; k++) {
        nuls[rnd.nextInt(nuls.length)] = 0;
      }
      in.put("nuls-in-" + name, nuls);
    }
    in.put("mixed-encodings", mixedEncodings());
    return in;
  }

  /** One real row in UTF-8, UTF-16LE with a BOM, Latin-1, Shift_JIS, and bytes that are no UTF-8 at all. */
  private static byte[] mixedEncodings() throws IOException {
    String row = "tcp   LISTEN 0   128   127.0.0.1:8080   0.0.0.0:*   users:((\"caf\u00e9\",pid=42,fd=3))\n";
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(row.getBytes(StandardCharsets.UTF_8));
    b.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
    b.write(row.getBytes(StandardCharsets.UTF_16LE));
    b.write(row.getBytes(StandardCharsets.ISO_8859_1));
    b.write(("TCP    0.0.0.0:135    0.0.0.0:0    \u5f85\u6a5f\u4e2d    948\r\n").getBytes("Shift_JIS"));
    b.write(new byte[] {(byte) 0xC0, (byte) 0x80, (byte) 0x80, '\r', (byte) 0xF0, (byte) 0x9F, (byte) 0x98, '\n',
        (byte) 0xED, (byte) 0xA0, (byte) 0x80, 0x1b, '[', '2', 'J', '\n'});
    b.write(row.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    return b.toByteArray();
  }

  private Path write(String name, byte[] bytes) {
    try {
      return Files.write(dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_")), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What every run of parse must keep to, whatever the input. */
  static void assertWellBehaved(Result r, boolean json, String what) {
    assertTrue(r.exit() == 0 || r.exit() == 1 || r.exit() == 2, () -> "exit 0, 1 or 2: " + what + "\n" + r);
    long errLines = r.err().lines().count();
    // one line per noted input line (at most 20), then one summary line
    assertTrue(errLines <= 21, () -> "at most 21 lines on stderr: " + what + "\n" + r);
    assertTrue(r.err().lines().allMatch(l -> l.startsWith("portdoctor: ")),
        () -> "every stderr line is portdoctor's: " + what + "\n" + r);
    if (r.exit() == 2) {
      assertTrue(errLines == 1 && r.err().startsWith("portdoctor: "), () -> "one line on failure: " + what + "\n" + r);
    }
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in thread") || r.err().contains("internal error"),
        () -> "no stack trace, no internal error: " + what + "\n" + r);
    for (String stream : List.of(r.out(), r.err())) {
      for (int i = 0; i < stream.length(); i++) {
        char c = stream.charAt(i);
        int at = i;
        assertFalse(c != '\n' && Text.needsEscape(c),
            () -> "raw control character " + (int) c + " at " + at + ": " + what + "\n" + r);
      }
    }
    if (json && !r.out().isBlank()) {
      JsonOut.parse(r.out()); // valid JSON, or it throws
    }
  }

  @Test
  void smallHostileInputsInEveryFormat() throws Exception {
    Map<String, byte[]> inputs = smallInputs();
    List<String> formats = formats();
    long[] slowest = {0};
    String[] slowestWhat = {""};
    assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
      for (Map.Entry<String, byte[]> in : inputs.entrySet()) {
        Path file = write(in.getKey(), in.getValue());
        for (String format : formats) {
          String what = "parse " + in.getKey() + " --format " + format;
          long t0 = System.nanoTime();
          Result r = CliRunner.run("parse", file.toString(), "--format", format, "--all", "--tcp", "--udp", "--json");
          long ms = (System.nanoTime() - t0) / 1_000_000;
          if (ms > slowest[0]) {
            slowest[0] = ms;
            slowestWhat[0] = what;
          }
          assertTrue(ms < SMALL_BOUND.toMillis(), what + " took " + ms + " ms");
          assertWellBehaved(r, true, what);
        }
      }
    });
    System.out.println(inputs.size() + " inputs x " + formats.size() + " formats; slowest " + slowest[0] + " ms: "
        + slowestWhat[0]);
  }

  @Test
  void bigInputsRunInSixtyFourMegabytesOfHeapWithoutHanging() throws Exception {
    Path jar = JarRunner.jar();
    byte[] words = new byte[10_000_000];
    for (int i = 0; i < words.length; i += 2) {
      words[i] = '0';
      words[i + 1] = ' ';
    }
    byte[] one = new byte[10_000_000];
    Arrays.fill(one, (byte) 'A');
    byte[] brackets = new byte[100_000];
    Arrays.fill(brackets, (byte) '[');
    byte[] objects = "{\"a\":".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
    Map<String, List<String>> runs = new LinkedHashMap<>();
    Path wordsFile = write("ten-mb-of-short-words", words);
    for (String format : formats()) {
      runs.put(wordsFile + " " + format, List.of("parse", wordsFile.toString(), "--format", format));
    }
    Path oneFile = write("ten-mb-one-word", one);
    runs.put(oneFile + " auto", List.of("parse", oneFile.toString()));
    Path bracketsFile = write("nested-brackets", brackets);
    runs.put(bracketsFile + " auto", List.of("parse", bracketsFile.toString(), "--json"));
    runs.put(bracketsFile + " powershell-json", List.of("parse", bracketsFile.toString(), "--format", "powershell-json"));
    Path objectsFile = write("nested-objects", objects);
    runs.put(objectsFile + " powershell-json", List.of("parse", objectsFile.toString(), "--format", "powershell-json"));

    JarRunner.Invocation inv = JarRunner.Invocation.plain()
        .jvm("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto").timeout(BIG_BOUND);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Map<String, Future<Result>> done = new LinkedHashMap<>();
      for (Map.Entry<String, List<String>> e : runs.entrySet()) {
        done.put(e.getKey(), pool.submit(() -> JarRunner.run(inv, jar, e.getValue().toArray(new String[0]))));
      }
      List<Runnable> checks = new ArrayList<>();
      for (Map.Entry<String, Future<Result>> e : done.entrySet()) {
        Result r = e.getValue().get();
        System.out.println(e.getKey() + ": exit " + r.exit() + " " + r.err().strip());
        boolean json = runs.get(e.getKey()).contains("--json");
        checks.add(() -> assertWellBehaved(r, json, e.getKey()));
      }
      assertAll(checks.stream().map(c -> c::run));
    } finally {
      pool.shutdownNow();
    }
  }
}
