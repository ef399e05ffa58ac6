package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --on costs the local path nothing: with -Xlog:class+load, the local commands load no class of the
 * remote path (os.remote, cli.Remote*, the inventory readers) and no SnakeYAML; a plain hosts list does
 * not load SnakeYAML either, a YAML inventory does.
 */
class RemoteClassLoadingTest {
  private static List<String> loaded(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ChildJvm.javaBin(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-Xlog:class+load=info:stdout", "-cp", System.getProperty("java.class.path"), "dev.portdoctor.Main"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    List<String> classes = new ArrayList<>();
    for (String line : out.split("\n")) {
      int i = line.indexOf("[class,load] ");
      if (i >= 0) {
        String rest = line.substring(i + 13);
        classes.add(rest.split(" ", 2)[0]);
      }
    }
    assertTrue(classes.contains("dev.portdoctor.Main"), out);
    return classes;
  }

  private static List<String> remote(List<String> classes) {
    return classes.stream().filter(c -> c.startsWith("dev.portdoctor.os.remote.") || c.startsWith("dev.portdoctor.cli.Remote")
        || c.startsWith("dev.portdoctor.cli.Inventory") || c.startsWith("org.yaml.")).toList();
  }

  @Test
  void localCommandsLoadNothingOfTheRemotePath() throws Exception {
    for (String[] args : List.of(new String[] {"who", "1"}, new String[] {"list", "--port", "1-1023", "--json"},
        new String[] {"check", "1"}, new String[] {"kill", "1", "--dry-run"}, new String[] {"who", "--help"})) {
      assertEquals(List.of(), remote(loaded(args)), String.join(" ", args));
    }
  }

  @Test
  void snakeYamlOnlyForAYamlInventory(@TempDir Path dir) throws Exception {
    Path plain = Files.writeString(dir.resolve("hosts.txt"), "127.0.0.1:1\n");
    Path yaml = Files.writeString(dir.resolve("hosts.yml"), "all:\n  hosts:\n    127.0.0.1:\n      ansible_port: 1\n");
    List<String> p = loaded("who", "1", "--hosts", plain.toString(), "--ssh-timeout", "2s");
    assertTrue(p.contains("dev.portdoctor.cli.RemoteRun"), "the remote path ran");
    assertTrue(p.stream().noneMatch(c -> c.startsWith("org.yaml.")), "no SnakeYAML for a plain list");
    List<String> y = loaded("who", "1", "--hosts", yaml.toString(), "--ssh-timeout", "2s");
    assertTrue(y.contains("dev.portdoctor.cli.InventoryYaml"));
    assertTrue(y.stream().anyMatch(c -> c.startsWith("org.yaml.snakeyaml.")));
  }
}
