package dev.portdoctor.os.linux;

import dev.portdoctor.core.SystemFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  public boolean hasIpv6() {
    return Files.exists(procRoot.resolve("net/if_inet6"));
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
