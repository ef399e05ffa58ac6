package dev.portdoctor.os.text;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.ParsedTable.LineNote;
import dev.portdoctor.core.SocketEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what a parser read: the entries, and the lines it could not read whole, each with its
 * line number, an excerpt and the reason (kept for {@code parse} to report, up to
 * {@link ParsedTable#MAX_NOTES}, and logged at debug), so that a format change shows up instead of
 * silently thinning the table.
 */
public final class TableBuilder {
  private final Class<?> parser;
  private final List<SocketEntry> entries = new ArrayList<>();
  private final List<LineNote> notes = new ArrayList<>();
  private int skipped;

  /** @param parser the parser, named in debug messages */
  public TableBuilder(Class<?> parser) {
    this.parser = parser;
  }

  public void add(SocketEntry entry) {
    entries.add(entry);
  }

  /** Adds the row's entry, counts a {@link Row#BAD} row, and leaves an {@link Row#IGNORED} one out. */
  public void accept(Row row, int lineNo, String line) {
    if (row.isBad()) {
      skip(lineNo, line, row.problem());
    } else if (row.entry() != null) {
      add(row.entry());
      if (row.isPartial()) {
        partial(lineNo, line, row.problem());
      }
    }
  }

  /** Counts a line that could not be read. */
  public void skip(int lineNo, String text) {
    skip(lineNo, text, "cannot be read");
  }

  /** Counts a line that could not be read, and why. */
  public void skip(int lineNo, String text, String problem) {
    skipped++;
    note(lineNo, text, problem, true);
  }

  /** Notes a line whose entry was kept without some part of it ("no PID column", "address cut by the console"). */
  public void partial(int lineNo, String text, String problem) {
    note(lineNo, text, problem, false);
  }

  private void note(int lineNo, String text, String problem, boolean skip) {
    String excerpt = Lines.excerpt(text);
    if (notes.size() < ParsedTable.MAX_NOTES) {
      notes.add(new LineNote(lineNo, excerpt, problem, skip));
    }
    Log.debug(parser, () -> parser.getSimpleName() + ": " + (skip ? "skipped" : "read in part") + " line " + lineNo
        + " (" + problem + "): " + excerpt);
  }

  /** How many entries have been added so far. */
  public int entryCount() {
    return entries.size();
  }

  public ParsedTable build() {
    return new ParsedTable(entries, skipped, notes);
  }
}
