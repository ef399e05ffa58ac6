package dev.portdoctor.os.text;

import dev.portdoctor.core.SocketEntry;

/**
 * What a parser made of one row: an entry, a row left out on purpose (a header, a socket kind that is
 * not TCP or UDP), or a row it could not read, which {@link TableBuilder#accept} counts.
 */
public final class Row {
  /** A row that could not be read. */
  public static final Row BAD = new Row(null);
  /** A row left out on purpose; not an error. */
  public static final Row IGNORED = new Row(null);

  private final SocketEntry entry;

  private Row(SocketEntry entry) {
    this.entry = entry;
  }

  public static Row of(SocketEntry entry) {
    return new Row(entry);
  }

  /** The entry, or null for {@link #BAD} and {@link #IGNORED}. */
  SocketEntry entry() {
    return entry;
  }
}
