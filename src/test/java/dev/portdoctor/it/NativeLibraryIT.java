package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JarRunner.Invocation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the packaged jar finds the optional native library, and that every way of not using it gives the
 * same answer: beside the jar (target/native/, as the launcher and the release archive have it),
 * extracted once from a lone jar into the user's cache, switched off by property or variable, a broken
 * file. Skipped where the build made no library (no gcc).
 */
@EnabledOnOs(OS.LINUX)
class NativeLibraryIT {
  @TempDir
  Path tmp;

  private static Path builtLibrary() {
    Path jar = JarRunner.jar();
    Path dir = jar.toAbsolutePath().getParent().resolve("native");
    Path lib = null;
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        lib = s.map(p -> p.resolve("libportdoctor.so")).filter(Files::isRegularFile).findFirst().orElse(null);
      } catch (IOException e) {
        lib = null;
      }
    }
    assumeTrue(lib != null, "the build made no native library (no gcc) beside " + jar);
    return lib;
  }

  private static ServerSocket listener() throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return s;
  }

  private static Result run(Invocation inv, Path jar, String... args) {
    return JarRunner.run(inv, jar, args);
  }

  @Test
  void besideTheJarItLoadsAndEveryWayOffGivesTheSameAnswer() throws IOException {
    Path lib = builtLibrary();
    Path jar = JarRunner.jar();
    try (ServerSocket s = listener()) {
      String port = Integer.toString(s.getLocalPort());
      Result on = run(Invocation.plain(), jar, "who", port, "--json");
      assertEquals(0, on.exit(), on::toString);
      assertTrue(on.out().contains("\"pid\" : " + ProcessHandle.current().pid()), on::toString);
      assertEquals("", on.err(), "nothing on stderr without --verbose");

      Result viaEnv = run(Invocation.plain().env("PORTDOCTOR_NATIVE", "0"), jar, "who", port, "--json");
      Result viaProperty = run(Invocation.plain().jvm("-Dportdoctor.native=false"), jar, "who", port, "--json");
      assertEquals(on.out(), viaEnv.out(), "the same answer with PORTDOCTOR_NATIVE=0");
      assertEquals(on.out(), viaProperty.out(), "the same answer with -Dportdoctor.native=false");
      assertEquals(on.exit(), viaEnv.exit());

      Result verbose = run(Invocation.plain(), jar, "who", port, "-v");
      assertTrue(verbose.err().contains("native library " + lib.toRealPath()) || verbose.err().contains("native library "
          + lib), verbose::toString);
      assertTrue(verbose.err().contains("through sock_diag"), verbose::toString);
      Result off = run(Invocation.plain().env("PORTDOCTOR_NATIVE", "0"), jar, "who", port, "-v");
      assertTrue(off.err().contains("native library off"), off::toString);
      assertFalse(off.err().contains("sock_diag"), off::toString);
      assertTrue(off.err().contains("/proc/net/tcp: "), "the Java reader ran: " + off);
    }
  }

  /**
   * A truncated file, a library for another CPU, a file of the right CPU that is no JNI library of ours:
   * none is used, the answer is the same, and nothing is said without --verbose.
   */
  @Test
  void aBrokenOrForeignLibraryIsNotUsedAndTheAnswerIsStillRight() throws IOException {
    Path real = builtLibrary();
    Path truncated = Files.write(tmp.resolve("truncated.so"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    byte[] other = Files.readAllBytes(real);
    other[18] = (byte) (other[18] == 62 ? 183 : 62); // e_machine: the other CPU
    Path foreign = Files.write(tmp.resolve("foreign.so"), other);
    Path notJni = Path.of("/lib/x86_64-linux-gnu/libz.so.1"); // a real library without our functions
    try (ServerSocket s = listener()) {
      String port = Integer.toString(s.getLocalPort());
      for (Path lib : List.of(truncated, foreign, notJni)) {
        if (!Files.isRegularFile(lib) || (lib == notJni && !real.toString().contains("x86_64"))) {
          continue;
        }
        Invocation inv = Invocation.plain().jvm("-Dportdoctor.native.library=" + lib);
        Result r = run(inv, JarRunner.jar(), "who", port);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("pid " + ProcessHandle.current().pid()), r::toString);
        assertEquals("", r.err(), "silent without --verbose: " + lib);
        Result v = run(inv, JarRunner.jar(), "who", port, "-v");
        assertTrue(v.err().contains("native library " + lib + " not"), v::toString);
        assertTrue(v.err().contains("reading /proc in Java"), v::toString);
        assertFalse(v.err().contains("sock_diag"), v::toString);
      }
    }
  }

  @Test
  void aLoneJarExtractsItOnceIntoTheUsersCache() throws IOException {
    builtLibrary();
    Path jar = Files.copy(JarRunner.jar(), tmp.resolve("portdoctor.jar"), StandardCopyOption.COPY_ATTRIBUTES);
    Path cache = tmp.resolve("cache");
    Invocation inv = Invocation.plain().env("XDG_CACHE_HOME", cache.toString());
    try (ServerSocket s = listener()) {
      String port = Integer.toString(s.getLocalPort());
      Result first = run(inv, jar, "who", port, "-v");
      assertEquals(0, first.exit(), first::toString);
      assertTrue(first.err().contains("native library extracted from " + jar), first::toString);
      Path dir;
      try (Stream<Path> st = Files.list(cache.resolve("portdoctor/native"))) {
        List<Path> dirs = st.toList();
        assertEquals(1, dirs.size(), dirs::toString);
        dir = dirs.get(0);
      }
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
      Path lib = dir.resolve("libportdoctor.so");
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lib)));
      assertTrue(first.err().contains("native library " + lib + " loaded"), first::toString);

      Result second = run(inv, jar, "who", port, "-v");
      assertFalse(second.err().contains("extracted"), "once only: " + second);
      assertTrue(second.err().contains("native library " + lib + " loaded"), second::toString);
      assertEquals(first.out(), second.out());

      // a directory someone else could write to is never loaded from
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
      Result unsafe = run(inv, jar, "who", port, "-v");
      assertTrue(unsafe.err().contains("is not this user's alone"), unsafe::toString);
      assertFalse(unsafe.err().contains("sock_diag"), unsafe::toString);
      assertEquals(first.out(), unsafe.out());

      // a new jar (another size or time) gets a directory of its own
      Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis()
          + 1000));
      Result newer = run(inv, jar, "who", port, "-v");
      assertTrue(newer.err().contains("extracted"), newer::toString);
      try (Stream<Path> st = Files.list(cache.resolve("portdoctor/native"))) {
        assertEquals(2, st.count());
      }
    }
  }
}
