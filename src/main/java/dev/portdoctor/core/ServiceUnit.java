package dev.portdoctor.core;

/**
 * A systemd unit.
 *
 * @param name {@code nginx.service}
 * @param userManager true for a unit of a user's own manager ({@code systemctl --user})
 */
public record ServiceUnit(String name, boolean userManager) {
  /** The command that stops it. */
  public String stopCommand() {
    return userManager ? "systemctl --user stop " + name : "systemctl stop " + name;
  }
}
