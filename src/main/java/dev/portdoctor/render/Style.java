package dev.portdoctor.render;

/** ANSI styling for people's output, switched off when stdout is no terminal or NO_COLOR is set. */
public record Style(boolean enabled) {
  public String bold(String s) {
    return wrap("1", s);
  }

  public String red(String s) {
    return wrap("1;31", s);
  }

  public String green(String s) {
    return wrap("1;32", s);
  }

  public String yellow(String s) {
    return wrap("1;33", s);
  }

  public String dim(String s) {
    return wrap("2", s);
  }

  private String wrap(String code, String s) {
    return enabled ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}
