package dev.weft.aspects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.spi.Event;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sample.Catalog;

/** Switches flipped over JMX while a woven loop runs take effect from the next call on. */
class RuntimeSwitchTest {
  @BeforeAll
  static void configure() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
  }

  @AfterAll
  static void reset() {
    Weft.resetRuntimeChanges();
  }

  @Test
  @SuppressWarnings("unchecked")
  void jmxSwitchesApplyFromTheNextCall() throws Exception {
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    ObjectName weft = new ObjectName("dev.weft:type=Weft");
    Weft.flush();
    MemoryCollector.clear();
    Catalog.Store store = new Catalog.Store();
    List<String> expected = new ArrayList<>();
    try (TraceScope t = Trace.begin("switch-base", null, null)) {
      for (int i = 0; i < 200; i++) {
        switch (i) {
          case 50:
            jmx.setAttribute(weft, new Attribute("Enabled", false));
            break;
          case 80:
            jmx.setAttribute(weft, new Attribute("Enabled", true));
            break;
          case 120:
            jmx.setAttribute(weft, new Attribute("TraceAnnotated", false));
            break;
          case 160:
            jmx.setAttribute(weft, new Attribute("TraceAnnotated", true));
            break;
          default:
        }
        boolean on =
            (Boolean) jmx.getAttribute(weft, "Enabled")
                && (Boolean) jmx.getAttribute(weft, "TraceAnnotated");
        store.get("i" + i);
        if (on) {
          expected.add("[i" + i + "]");
        }
      }
    }
    Weft.flush();
    ObjectMapper json = new ObjectMapper();
    List<String> recorded = new ArrayList<>();
    for (Event e : MemoryCollector.events()) {
      if (e.name().equals("Store.get-start")) {
        Map<String, Object> m = json.readValue(e.json(), Map.class);
        Map<String, Object> fn =
            (Map<String, Object>) ((Map<String, Object>) m.get("info")).get("function");
        recorded.add((String) fn.get("args"));
      }
    }
    assertThat(expected).hasSize(50 + 40 + 40);
    assertThat(recorded).containsExactlyElementsOf(expected);
  }
}
