package dev.portdoctor.os.text;

import java.util.ArrayList;
import java.util.List;

/** Splits text into lines by hand: {@code \n} ends a line, a {@code \r} before it is dropped. */
public final class Lines {
  private Lines() {}

  /** The lines of {@code text}; a final line without {@code \n} counts, a trailing empty one does not. */
  public static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    int pos = 0;
    int len = text.length();
    while (pos < len) {
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? len : nl;
      int stop = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
      out.add(text.substring(pos, stop));
      pos = end + 1;
    }
    return out;
  }

  /**
   * The line without the markdown quote markers a forum or mail reply puts in front ({@code > },
   * {@code >> }), or the line itself. (PowerShell's {@code Select-String} marks matches the same way;
   * the Windows parsers read that mark themselves.)
   */
  public static String unquote(String line) {
    int i = 0;
    int len = line.length();
    while (i < len && line.charAt(i) == ' ') {
      i++;
    }
    int start = i;
    while (i < len && line.charAt(i) == '>') {
      i++;
      if (i < len && line.charAt(i) == ' ') {
        i++;
      }
    }
    return i == start ? line : line.substring(i);
  }

  /**
   * The width of the terminal the text was copied from, as far as the text tells: the length of its
   * longest line when at least {@code min} characters, else 0. A line that fills the whole width was
   * probably cut there by the terminal, in the middle of a word, and the next line goes on with it.
   */
  public static int terminalWidth(List<String> lines, int min) {
    int max = 0;
    for (String l : lines) {
      max = Math.max(max, l.length());
    }
    return max >= min ? max : 0;
  }

  /** The line cut to at most 200 characters, for an error message. */
  public static String excerpt(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200);
  }
}
