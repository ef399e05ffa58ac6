package dev.portdoctor.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
  void runsOfConsecutivePortsAsPairs() {
    assertArrayEquals(new int[] {22, 22, 80, 80, 443, 443, 8000, 8002},
        PortSet.parse(List.of("80", "443,8000-8002", "22")).ranges());
    assertArrayEquals(new int[] {1, 65535}, PortSet.all().ranges());
    assertArrayEquals(new int[] {65535, 65535}, PortSet.of(65535).ranges());
    int[] many = new int[20];
    for (int i = 0; i < many.length; i++) {
      many[i] = 1000 + 2 * i;
    }
    int[] r = PortSet.of(many).ranges();
    assertEquals(40, r.length);
    assertEquals(1038, r[39]);
  }

  @Test
  void rejectsWithUsageCode() {
    for (String bad : List.of("", "abc", "0", "65536", "-1", "80-20", "80,", ",80", "1-2-3", "8080a", "+80", "0x50")) {
      PortDoctorException e = assertThrows(PortDoctorException.class, () -> PortSet.parse(List.of(bad)), bad);
      assertEquals(PortDoctorException.USAGE, e.exitCode(), bad);
    }
  }
}
