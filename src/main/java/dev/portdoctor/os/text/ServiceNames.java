package dev.portdoctor.os.text;

import java.util.Map;

/**
 * Port numbers of the service names that tools print when run without numeric ports ({@code lsof}
 * without {@code -P}, {@code ss} without {@code -n}, Windows {@code netstat -a} without {@code -n}).
 * They print the first name that the capturing machine's services file gives the port: IANA's names,
 * which macOS's {@code /etc/services} copies whole and Debian's and Windows' in part. The table holds
 * the names of ports that developers' machines commonly listen on, as IANA registers them (macOS's
 * AirPlay receiver shows as {@code *:commplex-main} and {@code *:afs3-fileserver}, a dev server on
 * 8000 as {@code *:irdmi}, on 3000 as {@code *:hbci}), plus Debian's own {@code git},
 * {@code redis} and {@code tproxy} (8081). A name not in it is unknown and the caller skips the row with a note naming it,
 * rather than guess, because services files differ between machines.
 *
 * <p>{@code http-alt} is 8080 here. IANA gives the name to 8008 as well and macOS lists both, so on a
 * Mac {@code http-alt} may stand for 8008; 8080, the port developers use, is the one read.
 */
public final class ServiceNames {
  private static final Map<String, Integer> PORTS = Map.ofEntries(
      Map.entry("echo", 7), Map.entry("discard", 9), Map.entry("daytime", 13),
      Map.entry("ftp-data", 20), Map.entry("ftp", 21), Map.entry("ssh", 22), Map.entry("telnet", 23),
      Map.entry("smtp", 25), Map.entry("domain", 53), Map.entry("bootps", 67), Map.entry("bootpc", 68),
      Map.entry("tftp", 69), Map.entry("http", 80), Map.entry("kerberos", 88), Map.entry("pop3", 110),
      Map.entry("sunrpc", 111), Map.entry("nntp", 119), Map.entry("ntp", 123), Map.entry("epmap", 135),
      Map.entry("netbios-ns", 137), Map.entry("netbios-dgm", 138), Map.entry("netbios-ssn", 139),
      Map.entry("imap", 143), Map.entry("snmp", 161), Map.entry("snmptrap", 162), Map.entry("ldap", 389),
      Map.entry("https", 443), Map.entry("microsoft-ds", 445), Map.entry("kpasswd", 464),
      Map.entry("isakmp", 500), Map.entry("syslog", 514), Map.entry("printer", 515),
      Map.entry("afpovertcp", 548), Map.entry("rtsp", 554), Map.entry("submission", 587),
      Map.entry("ipp", 631), Map.entry("ldaps", 636), Map.entry("imaps", 993), Map.entry("pop3s", 995),
      Map.entry("socks", 1080), Map.entry("openvpn", 1194), Map.entry("ms-sql-s", 1433),
      Map.entry("ms-sql-m", 1434), Map.entry("radius", 1812), Map.entry("mqtt", 1883),
      Map.entry("ssdp", 1900), Map.entry("nfs", 2049), Map.entry("hbci", 3000),
      Map.entry("mysql", 3306), Map.entry("ms-wbt-server", 3389), Map.entry("daap", 3689),
      Map.entry("svn", 3690), Map.entry("ws-discovery", 3702), Map.entry("ipsec-nat-t", 4500),
      Map.entry("commplex-main", 5000), Map.entry("commplex-link", 5001), Map.entry("sip", 5060),
      Map.entry("xmpp-client", 5222), Map.entry("postgresql", 5432), Map.entry("mdns", 5353),
      Map.entry("llmnr", 5355), Map.entry("amqp", 5672), Map.entry("rfb", 5900),
      Map.entry("redis", 6379), Map.entry("afs3-fileserver", 7000), Map.entry("afs3-callback", 7001),
      Map.entry("irdmi", 8000), Map.entry("vcom-tunnel", 8001), Map.entry("http-alt", 8080),
      Map.entry("sunproxyadmin", 8081), Map.entry("tproxy", 8081), Map.entry("radan-http", 8088), Map.entry("pcsync-https", 8443),
      Map.entry("ddi-tcp-1", 8888), Map.entry("cslistener", 9000), Map.entry("websm", 9090),
      Map.entry("git", 9418), Map.entry("memcache", 11211),
      // names BSD and older /etc/services use (netstat -a on OpenBSD/macOS: localhost.www, *.krb524)
      Map.entry("www", 80), Map.entry("krb524", 4444));

  private ServiceNames() {}

  /** The port of a service name, or -1 when the name is not in the table. */
  public static int port(String name) {
    Integer p = PORTS.get(name);
    return p == null ? -1 : p;
  }
}
