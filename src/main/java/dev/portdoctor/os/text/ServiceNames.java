package dev.portdoctor.os.text;

import java.util.Map;

/**
 * Port numbers of the service names that tools print when run without numeric ports ({@code lsof}
 * without {@code -P}, {@code ss} without {@code -n}): the official names of {@code /etc/services} on
 * Debian and macOS for common services. The table is small on purpose; a name not in it is unknown and
 * the caller skips the row rather than guess, because services files differ between machines.
 */
public final class ServiceNames {
  private static final Map<String, Integer> PORTS = Map.ofEntries(
      Map.entry("ftp-data", 20), Map.entry("ftp", 21), Map.entry("ssh", 22), Map.entry("telnet", 23),
      Map.entry("smtp", 25), Map.entry("domain", 53), Map.entry("bootps", 67), Map.entry("bootpc", 68),
      Map.entry("http", 80), Map.entry("kerberos", 88), Map.entry("pop3", 110), Map.entry("sunrpc", 111),
      Map.entry("ntp", 123), Map.entry("netbios-ns", 137), Map.entry("netbios-dgm", 138),
      Map.entry("netbios-ssn", 139), Map.entry("imap", 143), Map.entry("snmp", 161), Map.entry("ldap", 389),
      Map.entry("https", 443), Map.entry("microsoft-ds", 445), Map.entry("submission", 587),
      Map.entry("ipp", 631), Map.entry("ldaps", 636), Map.entry("afpovertcp", 548), Map.entry("imaps", 993),
      Map.entry("pop3s", 995), Map.entry("mysql", 3306), Map.entry("postgresql", 5432),
      Map.entry("mdns", 5353), Map.entry("rfb", 5900), Map.entry("redis", 6379),
      Map.entry("http-alt", 8080),
      // names BSD and older /etc/services use (netstat -a on OpenBSD/macOS: localhost.www, *.krb524)
      Map.entry("www", 80), Map.entry("krb524", 4444), Map.entry("syslog", 514));

  private ServiceNames() {}

  /** The port of a service name, or -1 when the name is not in the table. */
  public static int port(String name) {
    Integer p = PORTS.get(name);
    return p == null ? -1 : p;
  }
}
