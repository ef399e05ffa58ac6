package dev.portdoctor.os.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Prompt and command lines as the pasted corpus shows them, and rows that must never pass for one. */
class PromptsTest {
  @Test
  void promptsAndCommandsFromRealPastes() {
    for (String line : List.of(
        "dev@devvm:~$ ss -ltnp 'sport = :18500'",
        "dev@devvm:~$",
        "[root@sado ~]# netstat -pan |grep 81 ",
        "[root@localhost ~]# ",
        "root@1:~# netstat -anp|grep 53",
        "> root@debian:/home/ultimatevn# netstat -lpn",
        "loxberry@loxberry:~/config/system $ netstat -tanp",
        "`Kevins-MBP:k3vl4r k3vl4r$ netstat -v -n -p tcp",
        "***@***.***:~ $ netstat -an",
        "C:\\Users\\lewisje\\Desktop>netstat -aon | find \":80\" | find \"LISTENING\"",
        "PS C:\\Users\\UserName> netstat -aon | findstr /i 5001",
        "(c:\\soft\\xx) C:\\soft\\xx>netstat -na",
        "$ sudo ss -tulpn",
        "# ss -tnlp",
        "> netstat -antpdo | grep ESTABLISHED",
        "    $ ss -ant",
        "ss -tauepnn ",
        " netstat -tulpn",
        "cat /proc/net/tcp6",
        "    netstat -a |grep LISTEN |grep '80'",
        "$")) {
      assertTrue(Prompts.isCommandLine(line), line);
    }
  }

  @Test
  void rowsAndProseAreNotPrompts() {
    for (String line : List.of(
        "tcp        0      0 127.0.0.1:18601         0.0.0.0:*               LISTEN      15994/python3",
        "  TCP    0.0.0.0:80             0.0.0.0:0              LISTENING       4",
        "LISTEN 0      5          127.0.0.1:18601       0.0.0.0:*",
        " users:((\"python3\",pid=15994,fd=3))",
        "   0: 0100007F:0019 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21981 1",
        "p15994",
        "n127.0.0.1:18601->127.0.0.1:36962",
        "udp   UNCONN 0      0            127.0.0.53%lo:53        0.0.0.0:*    users:((\"systemd-resolve\",pid=8515,fd=14))",
        "Active Internet connections (servers and established)",
        "Mon 13 May 10:06:07 BST 2019",
        "[-] Listening TCP:",
        "",
        "     50000       50059     *")) {
      assertFalse(Prompts.isCommandLine(line), line);
    }
  }

  @Test
  void quoteMarkersComeOff() {
    assertEquals("Netid  State", Lines.unquote("> Netid  State"));
    assertEquals("tcp 0 0", Lines.unquote(">> tcp 0 0"));
    assertEquals("tcp 0 0", Lines.unquote("tcp 0 0"));
  }

  @Test
  void theTerminalWidthIsTheLongestLineWhenWideEnough() {
    assertEquals(80, Lines.terminalWidth(List.of("x".repeat(80), "short"), 60));
    assertEquals(0, Lines.terminalWidth(List.of("x".repeat(40), "short"), 60));
  }
}
