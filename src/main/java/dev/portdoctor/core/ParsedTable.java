package dev.portdoctor.core;

import java.util.List;
import java.util.OptionalInt;

/**
 * What a parser read from a socket table's text: the sockets, how many lines it could not read, and
 * the first of them (1-based) with its text, for the error message.
 */
public record ParsedTable(
    List<SocketEntry> entries, int skippedLines, OptionalInt firstSkippedLine, String firstSkippedText) {

  public ParsedTable {
    entries = List.copyOf(entries);
  }
}
