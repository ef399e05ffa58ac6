package dev.portdoctor.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: {@code src/test/resources/golden/<command>-<scenario>.json}, compared exactly (line ends
 * aside). {@code mvn test -Dgolden.update=true} writes them anew from the current output, so that a change
 * of format shows up as a reviewable diff.
 */
public final class Golden {
  public static final Path DIR = Path.of("src", "test", "resources", "golden");

  private Golden() {}

  public static boolean updating() {
    return Boolean.getBoolean("golden.update");
  }

  public static void assertMatches(String name, String actual) {
    String normalized = actual.replace("\r\n", "\n");
    Path file = DIR.resolve(name);
    try {
      if (updating()) {
        Files.createDirectories(DIR);
        Files.writeString(file, normalized, StandardCharsets.UTF_8);
        return;
      }
      assertTrue(Files.isRegularFile(file), () -> "golden file " + file + " is missing; make it with -Dgolden.update=true");
      String expected = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
      assertEquals(expected, normalized, () -> "output differs from " + file
          + " (if the change is intended, regenerate with -Dgolden.update=true and review the diff)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
