package dev.portdoctor.os.text;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.SocketEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Collects what a parser read: the entries, and the lines it could not read, counted, with the first
 * of them kept for the error message and each one logged at debug (the line number and its text),
 * so that a format change shows up instead of silently thinning the table.
 */
public final class TableBuilder {
  private final Class<?> parser;
  private final List<SocketEntry> entries = new ArrayList<>();
  private int skipped;
  private int firstLine;
  private String firstText = "";

  /** @param parser the parser, named in debug messages */
  public TableBuilder(Class<?> parser) {
    this.parser = parser;
  }

  public void add(SocketEntry entry) {
    entries.add(entry);
  }

  /** Adds the row's entry, counts a {@link Row#BAD} row, and leaves an {@link Row#IGNORED} one out. */
  public void accept(Row row, int lineNo, String line) {
    if (row == Row.BAD) {
      skip(lineNo, line);
    } else if (row.entry() != null) {
      add(row.entry());
    }
  }

  /** Counts a line that could not be read. */
  public void skip(int lineNo, String text) {
    skipped++;
    String excerpt = Lines.excerpt(text);
    if (firstLine == 0) {
      firstLine = lineNo;
      firstText = excerpt;
    }
    Log.debug(parser, () -> parser.getSimpleName() + ": skipped malformed line " + lineNo + ": " + excerpt);
  }

  public ParsedTable build() {
    return new ParsedTable(entries, skipped, firstLine == 0 ? OptionalInt.empty() : OptionalInt.of(firstLine),
        firstText);
  }
}
