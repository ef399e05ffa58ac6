package dev.portdoctor.os.remote;

import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell scripts run on Linux, macOS and other Unix hosts, through {@code sh -s}. Every byte of them
 * is ours: constants, port numbers, PIDs, start times and socket inodes that portdoctor itself parsed
 * and checked, and the call's marker; no text from the user or from the host is ever put in. Each
 * section of the output starts with a marker line {@code @@pd-NONCE KEY ...} whose random nonce a
 * process name on the host cannot guess, so no output of the host's tools can pass for a section.
 */
public final class PosixScripts {
  /** The remote command: a POSIX shell that reads its script from standard input. */
  public static final List<String> COMMAND = List.of("sh", "-s");

  /** Ranges of ports above which the table is filtered here rather than by ss on the host. */
  private static final int MAX_FILTER_RANGES = 16;

  private PosixScripts() {}

  /** The script of a read: the OS, the table with a fallback, ps, the kernel settings, the probes. */
  public static String read(String nonce, ReadRequest r) {
    StringBuilder s = new StringBuilder(4096);
    prologue(s, nonce);
    s.append("case \"$os\" in\n");
    s.append("Linux)\n");
    s.append("  for f in ip_local_port_range ip_unprivileged_port_start ip_local_reserved_ports tcp_tw_reuse; do\n");
    s.append("    v=$(cat /proc/sys/net/ipv4/$f 2>/dev/null) && echo \"$m sysctl net.ipv4.$f $v\"\n");
    s.append("  done\n");
    s.append("  [ -e /proc/net/if_inet6 ] && echo \"$m ipv6 yes\"\n");
    String l = r.listeningOnly() ? "l" : "a";
    String filter = ssFilter(r.ports());
    s.append("  if command -v ss >/dev/null 2>&1; then\n");
    s.append("    echo \"$m table ss\"; ss -Htu").append(l).append("npe").append(filter).append("; rc=$?; echo \"$m rc $rc\"\n");
    s.append("    [ $rc = 0 ] && t=ss\n");
    s.append("  fi\n");
    s.append("  if [ -z \"$t\" ] && command -v netstat >/dev/null 2>&1; then\n");
    s.append("    echo \"$m table netstat\"; netstat -tu").append(l).append("np; rc=$?; echo \"$m rc $rc\"\n");
    s.append("    [ $rc = 0 ] && t=netstat\n");
    s.append("  fi\n");
    lsof(s);
    s.append("  echo \"$m ps\"; ps -A -ww -o pid=,ppid=,uid=,user:32=,lstart=,args=; echo \"$m rc $?\"\n");
    s.append("  ;;\n");
    s.append("Darwin|FreeBSD|OpenBSD|NetBSD|DragonFly)\n");
    s.append("  v=$(sysctl -n net.inet.ip.portrange.first 2>/dev/null) && echo \"$m sysctl net.inet.ip.portrange.first $v\"\n");
    s.append("  v=$(sysctl -n net.inet.ip.portrange.last 2>/dev/null) && echo \"$m sysctl net.inet.ip.portrange.last $v\"\n");
    s.append("  echo \"$m ipv6 yes\"\n");
    lsof(s);
    s.append("  if [ -z \"$t\" ] && command -v netstat >/dev/null 2>&1; then\n");
    s.append("    echo \"$m table bsd-netstat\"; { netstat -anv -p tcp && netstat -anv -p udp; }; rc=$?; echo \"$m rc $rc\"\n");
    s.append("    [ $rc = 0 ] && t=netstat\n");
    s.append("  fi\n");
    s.append("  echo \"$m ps\"; ps -A -ww -o pid=,ppid=,uid=,user=,lstart=,args=; echo \"$m rc $?\"\n");
    s.append("  ;;\n");
    s.append("esac\n");
    s.append("[ -z \"$t\" ] && echo \"$m notable\"\n");
    r.probe().ifPresent(p -> probe(s, p, r.ports()));
    s.append("echo \"$m end\"\n");
    return s.toString();
  }

  static void prologue(StringBuilder s, String nonce) {
    s.append("LC_ALL=C; export LC_ALL; LANG=C; export LANG; TZ=UTC; export TZ\n");
    s.append("m=@@pd-").append(nonce).append("\n");
    s.append("os=$(uname -s 2>/dev/null)\n");
    s.append("echo \"$m os $os\"\n");
    s.append("echo \"$m self $$\"\n");
    s.append("echo \"$m uid $(id -u 2>/dev/null)\"\n");
    s.append("t=\n");
  }

  private static void lsof(StringBuilder s) {
    // lsof exits 1 when it finds no socket at all: that is an empty table, not a failure
    s.append("  if [ -z \"$t\" ] && command -v lsof >/dev/null 2>&1; then\n");
    s.append("    echo \"$m table lsof\"; lsof -nP -iTCP -iUDP -F pcfnPtTu0; rc=$?; echo \"$m rc $rc\"\n");
    s.append("    [ $rc -le 1 ] && t=lsof\n");
    s.append("  fi\n");
  }

  /**
   * The trial binds: python3 when the host has it (a bind as a server makes it, with and without
   * SO_REUSEADDR), else bash's /dev/tcp (a connection to the loopback addresses: something listens, or
   * not), else nothing (the table alone answers).
   */
  private static void probe(StringBuilder s, ReadRequest.Probe p, PortSet ports) {
    List<String> addrs = p.addresses().isEmpty() ? List.of("0.0.0.0", "::", "127.0.0.1", "::1") : p.addresses();
    StringBuilder py = new StringBuilder();
    py.append("import socket,errno\n");
    py.append("P=[").append(join(ports.toList())).append("]\n");
    py.append("A=[").append(quoted(addrs)).append("]\n");
    py.append("U=").append(p.protocol() == Protocol.UDP ? "1" : "0").append("\n");
    py.append("for p in P:\n");
    py.append(" for a in A:\n");
    py.append("  for r in (1,0):\n");
    py.append("   f=socket.AF_INET6 if ':' in a else socket.AF_INET\n");
    py.append("   try:\n");
    py.append("    s=socket.socket(f,socket.SOCK_DGRAM if U else socket.SOCK_STREAM)\n");
    py.append("   except OSError as e:\n");
    py.append("    print(p,a,r,'err',errno.errorcode.get(e.errno,'?'),e.strerror);continue\n");
    py.append("   try:\n");
    py.append("    if r: s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n");
    py.append("    if f==socket.AF_INET6 and a=='::': s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,0)\n");
    py.append("    s.bind((a,p))\n");
    py.append("    if not U: s.listen(1)\n");
    py.append("    print(p,a,r,'free')\n");
    py.append("   except OSError as e:\n");
    py.append("    print(p,a,r,'err',errno.errorcode.get(e.errno,'?'),e.strerror)\n");
    py.append("   finally:\n");
    py.append("    s.close()\n");
    s.append("if command -v python3 >/dev/null 2>&1; then\n");
    s.append("  echo \"$m probe python3\"; python3 - <<'PDPY'\n").append(py).append("PDPY\n");
    s.append("  echo \"$m rc $?\"\n");
    if (p.protocol() == Protocol.TCP) {
      s.append("elif command -v bash >/dev/null 2>&1; then\n");
      s.append("  echo \"$m probe bash\"\n");
      s.append("  to=; command -v timeout >/dev/null 2>&1 && to='timeout 3'\n");
      s.append("  for p in ").append(join(ports.toList()).replace(",", " ")).append("; do\n");
      s.append("    for a in 127.0.0.1 ::1; do\n");
      s.append("      if $to bash -c \"exec 3<>/dev/tcp/$a/$p\" 2>/dev/null; then echo \"$p $a open\"; else echo \"$p $a closed\"; fi\n");
      s.append("    done\n");
      s.append("  done\n");
      s.append("  echo \"$m rc 0\"\n");
    }
    s.append("else\n");
    s.append("  echo \"$m probe none\"\n");
    s.append("fi\n");
  }

  /** An ss filter for the ports, when they make few ranges: {@code  '( sport = :80 or sport >= :8000 and ... )'}. */
  static String ssFilter(PortSet ports) {
    if (ports.size() == PortSet.MAX_PORT) {
      return "";
    }
    List<int[]> ranges = new ArrayList<>();
    for (int p : ports.toList()) {
      int[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (last != null && last[1] == p - 1) {
        last[1] = p;
      } else {
        ranges.add(new int[] {p, p});
      }
      if (ranges.size() > MAX_FILTER_RANGES) {
        return "";
      }
    }
    StringBuilder f = new StringBuilder(" '(");
    for (int i = 0; i < ranges.size(); i++) {
      int[] r = ranges.get(i);
      f.append(i == 0 ? " " : " or ");
      if (r[0] == r[1]) {
        f.append("sport = :").append(r[0]);
      } else {
        f.append("( sport >= :").append(r[0]).append(" and sport <= :").append(r[1]).append(" )");
      }
    }
    return f.append(" )'").toString();
  }

  static String join(List<Integer> ints) {
    StringBuilder b = new StringBuilder();
    for (int i : ints) {
      b.append(b.length() == 0 ? "" : ",").append(i);
    }
    return b.toString();
  }

  /** Python string literals of IP literals (checked: digits, hex letters, '.', ':' and '%' only). */
  private static String quoted(List<String> addrs) {
    StringBuilder b = new StringBuilder();
    for (String a : addrs) {
      if (!a.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == ':' || c == '%')) {
        throw new IllegalArgumentException("not an IP literal: " + a);
      }
      b.append(b.length() == 0 ? "" : ",").append('\'').append(a).append('\'');
    }
    return b.toString();
  }
}
