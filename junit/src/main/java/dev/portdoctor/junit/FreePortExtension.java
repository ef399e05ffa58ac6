package dev.portdoctor.junit;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Resolves {@link FreePort} parameters and sets {@link FreePort} fields. {@code @FreePort} registers it;
 * there is nothing else to declare.
 *
 * <h2>How a port is chosen and held</h2>
 * Each port comes from {@link PortReservations}: a random port of 1024-65535 outside the OS's ephemeral
 * range (or of the {@code min..max} given) is claimed in a JVM-wide set (so no two tests of the JVM, on
 * any thread, in any class, get it, and this JVM never trial-binds a port one of its tests has), then
 * confirmed by portdoctor's trial bind on the wildcard and loopback addresses (IPv4 and IPv6), then bound
 * by a listening socket on the wildcard address. The extension keeps that socket open until
 * the invocation of the method that uses the port is about to run: the test method for its parameters,
 * the first {@code @BeforeEach}/{@code @BeforeAll} method or the test method for fields, and releases it
 * then. Every reservation still held when the test (or class) ends is released too.
 *
 * <h2>The window that remains</h2>
 * Between the release and the test's own bind the port is unbound for a few microseconds, and another
 * process could bind it then. That is made as small and unlikely as it can be: the release happens in
 * the innermost step before the method body, nothing in between allocates ports; the port is outside the
 * ephemeral range, so the kernel never hands it to an outgoing connection; and the holding socket is a
 * listener that accepted no connection, so closing it leaves no TIME_WAIT behind and the test's server
 * binds it whether or not it sets SO_REUSEADDR. Only a process that binds a fixed or random port of its
 * own at that instant can still take it; when the test's server then fails, {@link PortAssertions} says
 * who did.
 *
 * <p>A process that any thread of the test JVM starts is born with a copy of every socket the JVM has
 * open (Java sets no close-on-exec on sockets), and holds them until its start-up closes them. The
 * release waits for that (see {@link PortReservations}); but a test that closes its own server and binds
 * the same port again while other tests start processes can still meet "Address already in use" for a
 * moment: bind the port once per test.
 */
public final class FreePortExtension
    implements ParameterResolver, BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback,
        InvocationInterceptor {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FreePortExtension.class);

  /** The reservations made for one extension context, released together. */
  private static final class Held {
    private final List<PortReservations.Reservation> reservations = new ArrayList<>();

    synchronized void add(PortReservations.Reservation r) {
      reservations.add(r);
    }

    synchronized void releaseAll() {
      for (PortReservations.Reservation r : reservations) {
        r.release();
      }
      reservations.clear();
    }
  }

  private static Held held(ExtensionContext context) {
    return context.getStore(NS).getOrComputeIfAbsent(Held.class, k -> new Held(), Held.class);
  }

  /** Releases what this context and its parents still hold. */
  private static void releaseUpwards(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Held h = c.get().getStore(NS).get(Held.class, Held.class);
      if (h != null) {
        h.releaseAll();
      }
    }
  }

  private static int reserve(FreePort spec, ExtensionContext context, String where) {
    PortReservations.Reservation r;
    try {
      r = PortReservations.reserve(spec.min(), spec.max());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
    }
    held(context).add(r);
    return r.port();
  }

  // ------------------------------------------------------------------ parameters

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.isAnnotated(FreePort.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    String where = "@FreePort parameter " + parameterContext.getParameter().getName() + " of "
        + parameterContext.getDeclaringExecutable();
    if (type != int.class && type != Integer.class) {
      throw new ParameterResolutionException(where + ": expected int or Integer, not " + type.getName());
    }
    FreePort spec = parameterContext.findAnnotation(FreePort.class).orElseThrow();
    return reserve(spec, extensionContext, where);
  }

  // ------------------------------------------------------------------ fields

  @Override
  public void beforeAll(ExtensionContext context) {
    injectFields(context, null, context.getRequiredTestClass());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      injectFields(context, instance, instance.getClass());
    }
  }

  private static void injectFields(ExtensionContext context, Object instance, Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        FreePort spec = f.getAnnotation(FreePort.class);
        if (spec == null || Modifier.isStatic(f.getModifiers()) != (instance == null)) {
          continue;
        }
        String where = "@FreePort field " + c.getName() + "." + f.getName();
        if (f.getType() != int.class && f.getType() != Integer.class) {
          throw new ExtensionConfigurationException(where + ": expected int or Integer, not " + f.getType().getName());
        }
        if (Modifier.isFinal(f.getModifiers())) {
          throw new ExtensionConfigurationException(where + ": must not be final");
        }
        int port = reserve(spec, context, where);
        try {
          f.setAccessible(true);
          f.set(instance, port);
        } catch (IllegalAccessException | RuntimeException e) {
          throw new ExtensionConfigurationException(where + ": cannot be set: " + e, e);
        }
      }
    }
  }

  // ------------------------------------------------------------------ release

  @Override
  public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext) throws Throwable {
    releaseUpwards(extensionContext);
    invocation.proceed();
  }

  @Override
  public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext) throws Throwable {
    releaseUpwards(extensionContext);
    invocation.proceed();
  }

  @Override
  public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext) throws Throwable {
    releaseUpwards(extensionContext);
    invocation.proceed();
  }

  @Override
  public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext) throws Throwable {
    releaseUpwards(extensionContext);
    invocation.proceed();
  }

  @Override
  public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext) throws Throwable {
    releaseUpwards(extensionContext);
    return invocation.proceed();
  }

  @Override
  public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext) throws Throwable {
    releaseUpwards(extensionContext);
    invocation.proceed();
  }

  @Override
  public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext) throws Throwable {
    releaseUpwards(extensionContext);
    invocation.proceed();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    held(context).releaseAll();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    held(context).releaseAll();
  }
}
