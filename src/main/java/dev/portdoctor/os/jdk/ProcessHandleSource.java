package dev.portdoctor.os.jdk;

import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.ProcessSource;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Process details through {@link ProcessHandle}, on any OS. */
public final class ProcessHandleSource implements ProcessSource {

  @Override
  public Optional<ProcessInfo> info(long pid) {
    Optional<ProcessHandle> ph = ProcessHandle.of(pid);
    if (ph.isEmpty()) {
      return Optional.empty();
    }
    ProcessHandle.Info info = ph.get().info();
    Optional<String> exe = info.command();
    String name = exe.map(ProcessHandleSource::baseName).orElse("?");
    Optional<String> cmd = info.commandLine();
    OptionalLong parent = ph.get().parent().map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty());
    return Optional.of(new ProcessInfo(pid, parent, name, exe, cmd, info.user(), OptionalInt.empty(), info.startInstant()));
  }

  static String baseName(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return slash >= 0 ? path.substring(slash + 1) : path;
  }
}
