package dev.portdoctor.os.windows;

import dev.portdoctor.core.ParsedTable.LineNote;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link ExcludedPortRangeParser} read: the ranges in netsh's order, and the lines that looked like
 * a range but were not one (the first of them, 1-based, with its text; and each of them, up to
 * {@link dev.portdoctor.core.ParsedTable#MAX_NOTES}, with why, in {@code notes}).
 */
public record ExcludedPortRanges(List<ExcludedPortRange> ranges, int skippedLines, OptionalInt firstSkippedLine,
    String firstSkippedText, List<LineNote> notes) {

  public ExcludedPortRanges {
    ranges = List.copyOf(ranges);
    notes = List.copyOf(notes);
  }

  /** Ranges and a count of skipped lines, the first of them noted without a reason. */
  public ExcludedPortRanges(List<ExcludedPortRange> ranges, int skippedLines, OptionalInt firstSkippedLine,
      String firstSkippedText) {
    this(ranges, skippedLines, firstSkippedLine, firstSkippedText, firstSkippedLine.isPresent()
        ? List.of(new LineNote(firstSkippedLine.getAsInt(), firstSkippedText, "cannot be read", true)) : List.of());
  }

  /** The first range that holds the port; ranges can overlap when two services reserved them. */
  public Optional<ExcludedPortRange> rangeContaining(int port) {
    for (ExcludedPortRange r : ranges) {
      if (r.contains(port)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
