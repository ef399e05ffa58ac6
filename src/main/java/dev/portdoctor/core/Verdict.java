package dev.portdoctor.core;

/** The answer of {@code check} for one port. */
public enum Verdict {
  FREE("free"),
  IN_USE("in-use"),
  NOT_BINDABLE("not-bindable");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
