package dev.portdoctor.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * JSON output through jackson-jr. Besides what JSON requires, it escapes DEL, C1 controls and the
 * invisible bidi and zero-width characters as {@code \\uXXXX}, so JSON printed on a terminal cannot
 * move the cursor or reorder text either; the result is still plain, valid JSON.
 */
public final class Json {
  private static final JSON WRITER = JSON.builder(new JsonFactory().setCharacterEscapes(new TerminalSafeEscapes()))
      .enable(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES)
      .build();

  private Json() {}

  /** The value as one line of compact JSON (no newline inside, none at the end), for line protocols. */
  public static String line(Object value) {
    try {
      return Line.WRITER.asString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses one JSON document into maps, lists, strings, numbers, booleans and null.
   *
   * @throws IOException when it is not valid JSON
   */
  public static Object parse(String text) throws IOException {
    return JSON.std.anyFrom(text);
  }

  /**
   * Writes the value (maps, lists and other iterables, strings, numbers, booleans, null) and a newline,
   * straight to {@code out}: never the whole document as one string first, which for tens of thousands
   * of sockets is tens of megabytes of characters (twice, while the buffer grows).
   */
  public static void write(Object value, Writer out) {
    try {
      WRITER.write(value, new java.io.FilterWriter(out) {
        @Override
        public void close() throws IOException {
          flush(); // the generator closes its target when done; the caller's stream stays open
        }
      });
      out.write(System.lineSeparator());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String toString(Object value) {
    try {
      return WRITER.asString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The compact writer, built on first use only: the commands that print pretty JSON never pay for it. */
  private static final class Line {
    static final JSON WRITER = JSON.builder(new JsonFactory().setCharacterEscapes(new TerminalSafeEscapes()))
        .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
        .build();
  }

  private static final class TerminalSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    TerminalSafeEscapes() {
      ascii = standardAsciiEscapesForJSON();
      ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch <= 0xffff && Text.needsEscape((char) ch)) {
        return new com.fasterxml.jackson.core.io.SerializedString(String.format("\\u%04x", ch));
      }
      return null;
    }
  }
}
