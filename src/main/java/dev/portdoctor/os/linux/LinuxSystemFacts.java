package dev.portdoctor.os.linux;

import dev.portdoctor.core.PortRange;
import dev.portdoctor.core.SystemFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Privileges and port settings of a Linux machine, from {@code /proc}. */
public final class LinuxSystemFacts implements SystemFacts {
  /** Bit of CAP_NET_BIND_SERVICE in the capability masks of {@code /proc/PID/status}. */
  private static final int CAP_NET_BIND_SERVICE = 10;

  private final Path procRoot;
  private Boolean root;
  private Long capEff;

  public LinuxSystemFacts(Path procRoot) {
    this.procRoot = procRoot;
  }

  private void readStatus() {
    if (root != null) {
      return;
    }
    root = false;
    capEff = 0L;
    try {
      for (String line : ProcFiles.readString(procRoot.resolve("self/status")).split("\n")) {
        if (line.startsWith("Uid:")) {
          String[] f = line.substring(4).trim().split("\\s+");
          root = f.length > 1 && f[1].equals("0");
        } else if (line.startsWith("CapEff:")) {
          capEff = Long.parseUnsignedLong(line.substring(7).trim(), 16);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // unknown: assume the least
    }
  }

  /** True when the effective uid is 0. */
  public boolean isRoot() {
    readStatus();
    return root;
  }

  @Override
  public boolean isPrivileged() {
    return isRoot();
  }

  /** True when this process may bind ports below {@link #unprivilegedPortStart()}. */
  @Override
  public boolean canBindPrivilegedPorts() {
    readStatus();
    return root || (capEff & (1L << CAP_NET_BIND_SERVICE)) != 0;
  }

  @Override
  public OptionalInt unprivilegedPortStart() {
    try {
      String v = ProcFiles.readString(procRoot.resolve("sys/net/ipv4/ip_unprivileged_port_start")).trim();
      return OptionalInt.of(Integer.parseInt(v));
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.of(1024); // kernels before 4.11 fix it at 1024
    }
  }

  @Override
  public List<PortRange> reservedPorts() {
    try {
      return parseReserved(ProcFiles.readString(procRoot.resolve("sys/net/ipv4/ip_local_reserved_ports")));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** {@code 8080,9000-9010}: ports and ranges, comma-separated; anything unreadable is left out. */
  public static List<PortRange> parseReserved(String text) {
    List<PortRange> out = new ArrayList<>();
    for (String item : text.trim().split(",")) {
      String t = item.trim();
      if (t.isEmpty()) {
        continue;
      }
      try {
        int dash = t.indexOf('-');
        int a = Integer.parseInt(dash < 0 ? t : t.substring(0, dash));
        int b = dash < 0 ? a : Integer.parseInt(t.substring(dash + 1));
        out.add(new PortRange(a, b, "net.ipv4.ip_local_reserved_ports"));
      } catch (IllegalArgumentException e) {
        // skip
      }
    }
    return out;
  }

  @Override
  public boolean hasIpv6() {
    return Files.exists(procRoot.resolve("net/if_inet6"));
  }

  /**
   * {@code net.ipv4.ip_local_port_range}, two numbers separated by a tab. Read through {@link ProcFiles}
   * (one read from offset 0): {@code Files.readString} would get only its first byte.
   */
  @Override
  public Optional<PortRange> ephemeralPortRange() {
    try {
      return parsePortRange(ProcFiles.readString(procRoot.resolve("sys/net/ipv4/ip_local_port_range")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code "32768\t60999\n"} to 32768-60999; empty for anything else. */
  public static Optional<PortRange> parsePortRange(String text) {
    String[] f = text.strip().split("\\s+");
    if (f.length != 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(new PortRange(Integer.parseInt(f[0]), Integer.parseInt(f[1]), "net.ipv4.ip_local_port_range"));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // NumberFormatException included
    }
  }

  /** Read from {@code /proc/sys} in one read (see ProcFiles: never Files.readString there). */
  @Override
  public java.util.Optional<String> kernelSetting(String name) {
    if (name.isEmpty() || name.contains("..") || name.contains("/")) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(ProcFiles.readString(procRoot.resolve("sys").resolve(name.replace('.', '/'))).strip());
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }
}
