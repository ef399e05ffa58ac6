package dev.portdoctor.os.text;

import dev.portdoctor.core.SocketEntry;

/**
 * What a parser made of one row: an entry, a row left out on purpose (a header, a socket kind that is
 * not TCP or UDP), or a row it could not read, which {@link TableBuilder#accept} counts.
 */
public final class Row {
  /** A row that could not be read. */
  public static final Row BAD = new Row(null, "cannot be read", false);
  /** A row left out on purpose; not an error. */
  public static final Row IGNORED = new Row(null, null, false);

  private final SocketEntry entry;
  /** Why the row was skipped or read only in part; null for a whole row. */
  private final String problem;
  private final boolean partial;

  private Row(SocketEntry entry, String problem, boolean partial) {
    this.entry = entry;
    this.problem = problem;
    this.partial = partial;
  }

  public static Row of(SocketEntry entry) {
    return new Row(entry, null, false);
  }

  /** A row that could not be read, and why ("local address '192.168.1.x:48342' is not an address"). */
  public static Row bad(String problem) {
    return new Row(null, problem, false);
  }

  /** A row kept without some part of it, and which ("remote end 'ec2-54-93-54-143.:56111' is a cut host name"). */
  public static Row partial(SocketEntry entry, String problem) {
    return new Row(entry, problem, true);
  }

  /** True for {@link #BAD} and every {@link #bad} row. */
  public boolean isBad() {
    return entry == null && problem != null;
  }

  String problem() {
    return problem;
  }

  boolean isPartial() {
    return partial;
  }

  /** The entry, or null for {@link #BAD} and {@link #IGNORED}. */
  SocketEntry entry() {
    return entry;
  }
}
