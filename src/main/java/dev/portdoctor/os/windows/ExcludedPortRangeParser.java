package dev.portdoctor.os.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Parses {@code netsh interface ipv4 show excludedportrange protocol=tcp} (and {@code ipv6},
 * {@code udp}):
 *
 * <pre>
 * Protocol tcp Port Exclusion Ranges
 *
 * Start Port    End Port
 * ----------    --------
 *      50000       50059     *
 *
 * * - Administered port exclusions.
 * </pre>
 *
 * <p>The title, the column headers and the footnote are localized ("Puerto de inicio    Puerto final"),
 * so a data line is recognized by structure: two port numbers, optionally followed by {@code *}. Every
 * line whose first word is not a number is prose and is skipped without being counted; a line that
 * starts with a number but is not a valid range is counted as skipped.
 */
public final class ExcludedPortRangeParser {
  private ExcludedPortRangeParser() {}

  public static ExcludedPortRanges parse(String text) {
    List<ExcludedPortRange> out = new ArrayList<>();
    int skipped = 0;
    int firstBad = 0;
    String firstBadText = "";
    List<String> lines = WindowsText.lines(WindowsText.stripBom(text));
    for (int i = 0; i < lines.size(); i++) {
      List<String> t = WindowsText.tokens(lines.get(i));
      if (t.isEmpty() || !WindowsText.isDigits(t.get(0))) {
        continue; // title, headers, dashes, footnote, blank
      }
      ExcludedPortRange r = range(t);
      if (r != null) {
        out.add(r);
      } else {
        skipped++;
        if (firstBad == 0) {
          firstBad = i + 1;
          firstBadText = WindowsText.clip(lines.get(i));
        }
      }
    }
    return new ExcludedPortRanges(out, skipped,
        firstBad == 0 ? OptionalInt.empty() : OptionalInt.of(firstBad), firstBadText);
  }

  /** Null unless the words are {@code start end} or {@code start end *} with start <= end <= 65535. */
  private static ExcludedPortRange range(List<String> t) {
    if (t.size() < 2 || t.size() > 3 || (t.size() == 3 && !t.get(2).equals("*"))) {
      return null;
    }
    int start = WindowsText.port(t.get(0));
    int end = WindowsText.port(t.get(1));
    if (start < 0 || end < 0 || start > end) {
      return null;
    }
    return new ExcludedPortRange(start, end, t.size() == 3);
  }
}
