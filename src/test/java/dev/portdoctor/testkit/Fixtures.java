package dev.portdoctor.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real captured outputs. The shared ones live beside the project in {@code ../shared/fixtures/} (CI
 * has that folder beside its clone) and are read in place, never copied; a test that needs them is
 * skipped with the reason when the folder is absent. Captures of our own are in
 * {@code src/test/resources/fixtures/}, each with its provenance in the README there.
 */
public final class Fixtures {
  private Fixtures() {}

  public static final Path SHARED = Path.of("..", "shared", "fixtures");

  /** A file under {@code ../shared/fixtures/}; skips the test when it is absent. */
  public static Path shared(String relative) {
    Path p = SHARED.resolve(relative);
    assumeTrue(Files.isRegularFile(p), "shared fixture " + p.toAbsolutePath().normalize()
        + " is absent (the ../shared/fixtures folder is not beside this checkout)");
    return p;
  }

  /** The text of a shared fixture, bytes kept as they are (CRLF, BOM) and decoded as UTF-8. */
  public static String sharedText(String relative) {
    return read(shared(relative));
  }

  /** A file under {@code src/test/resources/fixtures/}. */
  public static String ownText(String relative) {
    return read(Path.of("src", "test", "resources", "fixtures").resolve(relative));
  }

  public static String read(Path p) {
    try {
      return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
