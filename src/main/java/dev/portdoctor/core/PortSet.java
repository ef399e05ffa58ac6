package dev.portdoctor.core;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A set of ports 1-65535, from what a user typed: {@code 80}, {@code 80,443}, {@code 8000-8010}, in any
 * combination over several arguments. Iteration is in ascending order.
 */
public final class PortSet {
  public static final int MAX_PORT = 65535;

  private final BitSet bits;

  private PortSet(BitSet bits) {
    this.bits = bits;
  }

  /** Every port from 1 to 65535. */
  public static PortSet all() {
    BitSet b = new BitSet(MAX_PORT + 1);
    b.set(1, MAX_PORT + 1);
    return new PortSet(b);
  }

  public static PortSet of(int... ports) {
    BitSet b = new BitSet(MAX_PORT + 1);
    for (int p : ports) {
      b.set(checkPort(p, Integer.toString(p)));
    }
    return new PortSet(b);
  }

  /**
   * Parses port arguments.
   *
   * @throws PortDoctorException with the usage exit code and a message naming the bad text
   */
  public static PortSet parse(List<String> args) {
    BitSet b = new BitSet(MAX_PORT + 1);
    for (String arg : args) {
      for (String part : arg.split(",", -1)) {
        String item = part.strip();
        if (item.isEmpty()) {
          throw PortDoctorException.usage("invalid port list '" + arg + "': empty item");
        }
        int dash = item.indexOf('-', 1);
        if (dash > 0) {
          int from = parsePort(item.substring(0, dash), item);
          int to = parsePort(item.substring(dash + 1), item);
          if (from > to) {
            throw PortDoctorException.usage(
                "invalid port range '" + item + "': the first port must not be greater than the last");
          }
          b.set(from, to + 1);
        } else {
          b.set(parsePort(item, item));
        }
      }
    }
    if (b.isEmpty()) {
      throw PortDoctorException.usage("no port given");
    }
    return new PortSet(b);
  }

  private static int parsePort(String text, String context) {
    if (text.isEmpty() || text.length() > 6 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw PortDoctorException.usage(
          "invalid port '" + context + "': expected a number from 1 to 65535, a list (80,443) or a range (8000-8010)");
    }
    return checkPort(Integer.parseInt(text), context);
  }

  private static int checkPort(int port, String context) {
    if (port < 1 || port > MAX_PORT) {
      throw PortDoctorException.usage("invalid port '" + context + "': ports range from 1 to 65535");
    }
    return port;
  }

  public boolean contains(int port) {
    return port >= 0 && port <= MAX_PORT && bits.get(port);
  }

  public int size() {
    return bits.cardinality();
  }

  /** The ports in ascending order. */
  public List<Integer> toList() {
    List<Integer> out = new ArrayList<>(size());
    for (int p = bits.nextSetBit(0); p >= 0; p = bits.nextSetBit(p + 1)) {
      out.add(p);
    }
    return out;
  }

  /**
   * The runs of consecutive ports, as pairs {@code first, last} in ascending order: {@code 80,443,8000-8010}
   * gives {@code [80, 80, 443, 443, 8000, 8010]}.
   */
  public int[] ranges() {
    int[] out = new int[8];
    int n = 0;
    for (int p = bits.nextSetBit(0); p >= 0; p = bits.nextSetBit(p + 1)) {
      int end = bits.nextClearBit(p) - 1;
      if (n == out.length) {
        out = java.util.Arrays.copyOf(out, n * 2);
      }
      out[n++] = p;
      out[n++] = end;
      p = end;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** Compact text: {@code 80,443,8000-8010}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    int p = bits.nextSetBit(0);
    while (p >= 0) {
      int end = bits.nextClearBit(p) - 1;
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(p);
      if (end > p) {
        sb.append('-').append(end);
      }
      p = bits.nextSetBit(end + 1);
    }
    return sb.toString();
  }
}
