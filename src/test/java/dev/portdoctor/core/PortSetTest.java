package dev.portdoctor.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PortSetTest {
  @Test
  void listsRangesAndSeveralArguments() {
    PortSet s = PortSet.parse(List.of("80", "443,8000-8002", " 22 "));
    assertEquals(List.of(22, 80, 443, 8000, 8001, 8002), s.toList());
    assertEquals("22,80,443,8000-8002", s.toString());
    assertTrue(s.contains(8001));
    assertFalse(s.contains(8003));
    assertEquals(65535, PortSet.all().size());
    assertEquals(List.of(1, 65535), PortSet.parse(List.of("1", "65535")).toList());
  }

  @Test
  void rejectsWithUsageCode() {
    for (String bad : List.of("", "abc", "0", "65536", "-1", "80-20", "80,", ",80", "1-2-3", "8080a", "+80", "0x50")) {
      PortDoctorException e = assertThrows(PortDoctorException.class, () -> PortSet.parse(List.of(bad)), bad);
      assertEquals(PortDoctorException.USAGE, e.exitCode(), bad);
    }
  }
}
