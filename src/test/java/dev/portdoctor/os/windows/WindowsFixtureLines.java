package dev.portdoctor.os.windows;

import dev.portdoctor.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines of the real captures, for property tests that cut and mangle them. The shared captures are used
 * when the folder is there (never skipping: a property test only needs some real lines).
 */
final class WindowsFixtureLines {
  private WindowsFixtureLines() {}

  static List<String> own(String... names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.addAll(WindowsText.lines(Fixtures.ownText("windows/" + n)));
    }
    return out;
  }

  static List<String> sharedIfPresent(String... names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      Path p = Fixtures.SHARED.resolve(n);
      if (Files.isRegularFile(p)) {
        out.addAll(WindowsText.lines(Fixtures.read(p)));
      }
    }
    return out;
  }
}
