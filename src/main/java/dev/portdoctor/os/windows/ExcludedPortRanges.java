package dev.portdoctor.os.windows;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link ExcludedPortRangeParser} read: the ranges in netsh's order, and the lines that looked like
 * a range but were not one (the first of them, 1-based, with its text).
 */
public record ExcludedPortRanges(
    List<ExcludedPortRange> ranges, int skippedLines, OptionalInt firstSkippedLine, String firstSkippedText) {

  public ExcludedPortRanges {
    ranges = List.copyOf(ranges);
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
