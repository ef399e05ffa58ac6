package dev.portdoctor.os.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code netstat -b} printed under one socket row: the services (or other components) the
 * executable hosts, the executable itself in brackets, or a line saying the owner could not be read.
 * The core {@code Owner} keeps only the image name (as its name hint); the services are kept here because
 * for a shared {@code svchost.exe} they are what a user needs to know.
 *
 * @param image the executable name without brackets ({@code svchost.exe}), when printed
 * @param services the component lines above the image, top first ({@code RpcSs})
 * @param ownershipUnavailable netstat printed its (localized) "Can not obtain ownership information"
 */
public record WindowsOwnerInfo(Optional<String> image, List<String> services, boolean ownershipUnavailable) {

  /** Nothing was printed (no {@code -b}, or a TIME_WAIT row). */
  public static final WindowsOwnerInfo NONE = new WindowsOwnerInfo(Optional.empty(), List.of(), false);

  public WindowsOwnerInfo {
    services = List.copyOf(services);
  }

  /** True when nothing at all was printed for the row. */
  public boolean isEmpty() {
    return image.isEmpty() && services.isEmpty() && !ownershipUnavailable;
  }

  /** This and another row's info for the same process: the first image, the services of both. */
  WindowsOwnerInfo merge(WindowsOwnerInfo other) {
    List<String> all = new ArrayList<>(services);
    for (String s : other.services) {
      if (!all.contains(s)) {
        all.add(s);
      }
    }
    return new WindowsOwnerInfo(image.isPresent() ? image : other.image, all,
        ownershipUnavailable && other.ownershipUnavailable);
  }
}
