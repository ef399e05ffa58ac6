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

  /** The line cut to at most 200 characters, for an error message. */
  public static String excerpt(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200);
  }
}
