package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.os.remote.HostSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --hosts FILE: plain lists, and Ansible inventories as its documentation writes them (INI and YAML). */
class InventoryTest {
  private static String show(List<HostSpec> hosts) {
    return String.join(" ", hosts.stream().map(h -> h.name() + "=" + h.destination()
        + (h.port().isPresent() ? ":" + h.port().getAsInt() : "")).toList());
  }

  @Test
  void aPlainList(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("hosts.txt"), "# web tier\nweb-1\nweb-2   # the new one\n\ndeploy@db-1:2222\n[::1]:2200\n");
    assertEquals("web-1=web-1 web-2=web-2 deploy@db-1:2222=deploy@db-1:2222 [::1]:2200=::1:2200", show(Inventory.read(f)));
  }

  @Test
  void anAnsibleIniInventory(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("inventory"), String.join("\n",
        "mail.example.com",
        "[webservers]",
        "foo.example.com",
        "bar.example.com ansible_port=5309",
        "www[01:03].example.com",
        "[dbservers]",
        "db1 ansible_host=192.0.2.50 ansible_user=\"pg admin\"",
        "one ansible_ssh_host=192.0.2.51 ansible_ssh_port=2200",
        "foo.example.com",
        "[dbservers:vars]",
        "ansible_user=postgres",
        "[all:children]",
        "webservers",
        ""));
    PortDoctorException e = assertThrows(PortDoctorException.class, () -> Inventory.read(f)); // "pg admin": a blank
    assertEquals(2, e.exitCode());
    Files.writeString(f, Files.readString(f).replace("\"pg admin\"", "pgadmin"));
    assertEquals("mail.example.com=mail.example.com foo.example.com=postgres@foo.example.com"
        + " bar.example.com=bar.example.com:5309 www01.example.com=www01.example.com www02.example.com=www02.example.com"
        + " www03.example.com=www03.example.com db1=pgadmin@192.0.2.50 one=postgres@192.0.2.51:2200", show(Inventory.read(f)));
  }

  @Test
  void anAnsibleYamlInventory(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("inventory.yml"), String.join("\n",
        "all:",
        "  hosts:",
        "    mail.example.com:",
        "  children:",
        "    webservers:",
        "      hosts:",
        "        foo.example.com:",
        "        bar.example.com:",
        "          ansible_port: 5309",
        "    dbservers:",
        "      vars:",
        "        ansible_user: postgres",
        "      hosts:",
        "        db-[a:b].example.com:",
        "        one:",
        "          ansible_host: 192.0.2.51",
        "          ansible_user: admin",
        ""));
    assertEquals("mail.example.com=mail.example.com foo.example.com=foo.example.com bar.example.com=bar.example.com:5309"
        + " db-a.example.com=postgres@db-a.example.com db-b.example.com=postgres@db-b.example.com one=admin@192.0.2.51",
        show(Inventory.read(f)));
  }

  @Test
  void badFilesAreUsageErrors(@TempDir Path dir) throws Exception {
    for (String text : List.of("all:\n  hosts: [a, b\n", "web[1:99999999].example.com\n", "web ansible_port=abc\n",
        "-oProxyCommand=x\n")) {
      Path f = Files.writeString(dir.resolve(text.startsWith("all") ? "bad.yml" : "bad.ini"), text);
      assertEquals(2, assertThrows(PortDoctorException.class, () -> Inventory.read(f), text).exitCode());
    }
    assertEquals(2, assertThrows(PortDoctorException.class, () -> Inventory.read(dir.resolve("missing"))).exitCode());
  }
}
