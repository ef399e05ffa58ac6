package dev.portdoctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency direction of STYLE.md: core knows only the JDK; picocli stays in cli; OSHI stays in
 * os.oshi; nothing but Main calls System.exit or prints to System.out.
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src", "main", "java", "dev", "portdoctor");

  private static List<String> violations(Path dir, java.util.function.Predicate<String> bad) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          if (bad.test(lines.get(i).trim())) {
            out.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
    return out;
  }

  @Test
  void coreImportsOnlyTheJdkAndItself() throws IOException {
    assertEquals(List.of(), violations(MAIN.resolve("core"), l -> l.startsWith("import ")
        && !l.startsWith("import java.") && !l.startsWith("import dev.portdoctor.core.")
        && !l.startsWith("import static java.")));
    // slf4j is reached only through Log, by its fully qualified name, only when --verbose is on
    assertEquals(List.of(), violations(MAIN.resolve("core"), l -> l.contains("picocli") || l.contains("oshi.")));
  }

  /** The library (lib/pom.xml compiles api, core and os only) must not reach the CLI or rendering. */
  @Test
  void apiAndOsDoNotReachTheCli() throws IOException {
    for (String pkg : List.of("api", "os")) {
      assertEquals(List.of(), violations(MAIN.resolve(pkg), l -> !l.startsWith("*") && !l.startsWith("/*")
          && !l.startsWith("//") && (l.contains("dev.portdoctor.cli") || l.contains("dev.portdoctor.render")
          || l.contains("picocli") || l.contains("dev.portdoctor.Main"))));
    }
  }

  @Test
  void picocliOnlyInCli() throws IOException {
    assertEquals(List.of(), violations(MAIN, l -> l.startsWith("import picocli")).stream()
        .filter(v -> !v.contains("/cli/")).toList());
  }

  @Test
  void oshiOnlyInOsOshi() throws IOException {
    assertEquals(List.of(), violations(MAIN, l -> l.startsWith("import oshi")).stream()
        .filter(v -> !v.contains("/os/oshi/")).toList());
  }

  /** The terminal library of watch's full-screen view stays in tui/, which only cli reaches. */
  @Test
  void jlineOnlyInTuiAndTuiOnlyFromCli() throws IOException {
    assertEquals(List.of(), violations(MAIN, l -> l.startsWith("import org.jline")).stream()
        .filter(v -> !v.contains("/tui/")).toList());
    assertEquals(List.of(), violations(MAIN, l -> l.contains("dev.portdoctor.tui") && !l.startsWith("package "))
        .stream().filter(v -> !v.contains("/cli/WatchCommand.java:") && !v.contains("/tui/")).toList());
    assertEquals(List.of(), violations(MAIN.resolve("tui"), l -> l.startsWith("import picocli")
        || l.startsWith("import dev.portdoctor.cli") || l.startsWith("import dev.portdoctor.os")));
  }

  @Test
  void onlyMainExitsOrWritesToSystemOut() throws IOException {
    assertEquals(List.of(), violations(MAIN, l -> (l.contains("System.exit(") || l.contains("System.out.")
        || l.contains("System.err.") || l.contains("printStackTrace()")) && !l.startsWith("*") && !l.startsWith("//"))
        .stream().filter(v -> !v.contains("/Main.java:")).toList());
  }
}
