package dev.portdoctor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The packaged portdoctor-core jar: the library packages, and nothing of the CLI. */
class LibraryJarIT {
  @Test
  void holdsTheLibraryAndNoCliRenderOrPicocliClass() throws IOException {
    try (JarFile jar = new JarFile(System.getProperty("portdoctor.core.jar"))) {
      List<String> names = jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).toList();
      List<String> forbidden = names.stream().filter(n -> n.startsWith("dev/portdoctor/cli/")
          || n.startsWith("dev/portdoctor/render/") || n.startsWith("picocli/") || n.equals("dev/portdoctor/Main.class"))
          .toList();
      assertEquals(List.of(), forbidden);
      assertTrue(names.contains("dev/portdoctor/api/Ports.class"), "no Ports in " + names.size() + " classes");
      assertTrue(names.contains("dev/portdoctor/core/PortDoctor.class"));
      assertTrue(names.contains("dev/portdoctor/os/Platforms.class"));
      assertTrue(names.stream().allMatch(n -> n.startsWith("dev/portdoctor/api/") || n.startsWith("dev/portdoctor/core/")
          || n.startsWith("dev/portdoctor/os/")), "classes outside api/core/os");
    }
  }
}
