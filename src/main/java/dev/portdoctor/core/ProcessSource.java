package dev.portdoctor.core;

import java.util.Optional;

/** Details about processes, read on demand. */
public interface ProcessSource {

  /** The process, or empty when it does not exist (any more) or cannot be read at all. */
  Optional<ProcessInfo> info(long pid);
}
