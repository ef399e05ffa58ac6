package dev.portdoctor.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The port is held up to the test's start: an interceptor registered before the extension (so wrapping
 * it) tries to bind the field's port just before FreePortExtension releases it, and must fail.
 */
@ExtendWith(HeldUntilStartTest.TryBindFirst.class)
class HeldUntilStartTest {
  private static final Map<Integer, String> SEEN_JUST_BEFORE = new ConcurrentHashMap<>();

  @FreePort
  int port;

  @RepeatedTest(5)
  void wasHeldJustBeforeAndBindsNow(RepetitionInfo info) throws Exception {
    assertEquals("held", SEEN_JUST_BEFORE.get(port), "just before the test, port " + port);
    Handed.claimAndBind(port, "held#" + info.getCurrentRepetition());
  }

  /** Outermost interceptor: runs after the field is set and before FreePortExtension lets the port go. */
  static final class TryBindFirst implements InvocationInterceptor {
    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
        ExtensionContext extensionContext) throws Throwable {
      int p = ((HeldUntilStartTest) extensionContext.getRequiredTestInstance()).port;
      assertTrue(p > 0, "field not set before the test method's interceptors");
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(p));
        SEEN_JUST_BEFORE.put(p, "free");
      } catch (BindException e) {
        SEEN_JUST_BEFORE.put(p, "held");
      } catch (IOException e) {
        SEEN_JUST_BEFORE.put(p, e.toString());
      }
      invocation.proceed();
    }
  }
}
