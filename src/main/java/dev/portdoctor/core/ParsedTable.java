package dev.portdoctor.core;

import java.util.List;
import java.util.OptionalInt;

/**
 * What a parser read from a socket table's text: the sockets, and a note for each line it could not
 * read whole (1-based line number, an excerpt of the text, what was wrong, and whether the line was
 * skipped or only part of it was kept), so that {@code parse} can say so line by line instead of
 * thinning the table silently.
 *
 * @param skippedLines every line that was left out for want of a reading (may exceed the notes kept)
 * @param notes the first {@link #MAX_NOTES} lines that were skipped or read only in part, in order
 */
public record ParsedTable(List<SocketEntry> entries, int skippedLines, List<LineNote> notes) {
  /** Notes kept per table: a capture of random bytes must not keep a note per line in memory. */
  public static final int MAX_NOTES = 500;

  /**
   * A line that was not read whole.
   *
   * @param line 1-based line number in the text the parser was given
   * @param text the line, cut to an excerpt
   * @param problem what could not be read, in a few words ("no port in the local address")
   * @param skipped true when the line gave no entry; false when an entry was kept without that part
   */
  public record LineNote(int line, String text, String problem, boolean skipped) {}

  public ParsedTable {
    entries = List.copyOf(entries);
    notes = List.copyOf(notes);
  }

  /** A table whose parser counts the lines it skipped and keeps only the first (no reason given). */
  public ParsedTable(List<SocketEntry> entries, int skippedLines, OptionalInt firstSkippedLine,
      String firstSkippedText) {
    this(entries, skippedLines, firstSkippedLine.isPresent()
        ? List.of(new LineNote(firstSkippedLine.getAsInt(), firstSkippedText, "cannot be read", true))
        : List.of());
  }

  /** The first skipped line, if any. */
  public OptionalInt firstSkippedLine() {
    for (LineNote n : notes) {
      if (n.skipped()) {
        return OptionalInt.of(n.line());
      }
    }
    return OptionalInt.empty();
  }

  /** The text of the first skipped line, or "". */
  public String firstSkippedText() {
    for (LineNote n : notes) {
      if (n.skipped()) {
        return n.text();
      }
    }
    return "";
  }

  /** How many lines were read only in part (among the notes kept). */
  public long partialLines() {
    return notes.stream().filter(n -> !n.skipped()).count();
  }
}
