package dev.portdoctor.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A TCP port for this test, free on every address: on an {@code int} (or {@code Integer}) parameter of a
 * test, lifecycle or constructor, or on a field (instance fields are set before each test, static ones
 * before all tests of the class).
 *
 * <pre>{@code
 * @Test
 * void serves(@FreePort int port) throws Exception {
 *   try (EchoServer server = EchoServer.start(port)) { ... }
 * }
 * }</pre>
 *
 * <p>The port is confirmed by a real bind and kept bound by the extension until just before the method
 * that gets it runs; no two tests of one JVM get the same port, even with parallel execution on. See
 * {@link FreePortExtension} for how, and for the short window that remains.
 */
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(FreePortExtension.class)
public @interface FreePort {
  /** The lowest port to pick, inclusive; with {@link #max()}. 0: 1024-65535 outside the ephemeral range. */
  int min() default 0;

  /** The highest port to pick, inclusive; with {@link #min()}. */
  int max() default 0;
}
