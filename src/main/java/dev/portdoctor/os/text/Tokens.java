package dev.portdoctor.os.text;

import java.util.Arrays;

/**
 * The whitespace-separated fields of one line, with where each starts and ends, so that a field that
 * may itself hold spaces (a process name) can be cut from the line as it was printed.
 */
public final class Tokens {
  /**
   * No row of any tool has this many fields; past it the last field takes the rest of the line, so a
   * hostile line of millions of short words costs no more than its own text.
   */
  public static final int MAX_FIELDS = 1024;

  private final String line;
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private int count;

  private Tokens(String line) {
    this.line = line;
  }

  /**
   * Splits on spaces and tabs; runs of them separate one field from the next. Field {@link #MAX_FIELDS}
   * (the last) runs to the end of the line, blanks included.
   */
  public static Tokens of(String line) {
    Tokens t = new Tokens(line);
    int i = 0;
    int len = line.length();
    while (i < len) {
      while (i < len && isBlank(line.charAt(i))) {
        i++;
      }
      if (i >= len) {
        break;
      }
      int start = i;
      if (t.count == MAX_FIELDS - 1) {
        int end = len;
        while (isBlank(line.charAt(end - 1))) {
          end--;
        }
        t.add(start, end);
        break;
      }
      while (i < len && !isBlank(line.charAt(i))) {
        i++;
      }
      t.add(start, i);
    }
    return t;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
  }

  private void add(int start, int end) {
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
    }
    starts[count] = start;
    ends[count] = end;
    count++;
  }

  public int count() {
    return count;
  }

  public String get(int i) {
    return line.substring(starts[i], ends[i]);
  }

  /** Offset in the line of the first character of field {@code i}. */
  public int start(int i) {
    return starts[i];
  }

  /** Offset in the line just after field {@code i}. */
  public int end(int i) {
    return ends[i];
  }

  /** The line from the start of field {@code from} to the end of field {@code to}, inner blanks kept. */
  public String span(int from, int to) {
    return line.substring(starts[from], ends[to]);
  }

  public String line() {
    return line;
  }
}
