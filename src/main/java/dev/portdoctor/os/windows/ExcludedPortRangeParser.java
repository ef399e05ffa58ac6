package dev.portdoctor.os.windows;

import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.ParsedTable.LineNote;
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
    List<LineNote> notes = new ArrayList<>();
    int skipped = 0;
    List<String> lines = WindowsText.lines(WindowsText.stripBom(text));
    for (int i = 0; i < lines.size(); i++) {
      List<String> t = withoutBackticks(WindowsText.tokens(lines.get(i)));
      if (t.isEmpty() || !WindowsText.isDigits(t.get(0))) {
        continue; // title, headers, dashes, footnote, blank, a log line around the table
      }
      ExcludedPortRange r = range(t);
      if (r != null) {
        out.add(r);
      } else {
        skipped++;
        if (notes.size() < ParsedTable.MAX_NOTES) {
          notes.add(new LineNote(i + 1, WindowsText.clip(lines.get(i)), "not a range: two port numbers, the "
              + "first not above the second, then * for an administered one", true));
        }
      }
    }
    OptionalInt first = notes.isEmpty() ? OptionalInt.empty() : OptionalInt.of(notes.get(0).line());
    return new ExcludedPortRanges(out, skipped, first, notes.isEmpty() ? "" : notes.get(0).text(), notes);
  }

  /**
   * The words without the backtick a forum post's inline code span puts before the first or after the
   * last ({@code `Puerto de inicio}, {@code 50000       50059`}).
   */
  private static List<String> withoutBackticks(List<String> t) {
    if (t.isEmpty() || (!t.get(0).startsWith("`") && !t.get(t.size() - 1).endsWith("`"))) {
      return t;
    }
    List<String> out = new ArrayList<>(t);
    out.set(0, out.get(0).replaceFirst("^`+", ""));
    int last = out.size() - 1;
    out.set(last, out.get(last).replaceFirst("`+$", ""));
    out.removeIf(String::isEmpty);
    return out;
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
