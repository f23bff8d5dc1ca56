package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.collect.MemoryCollector;
import dev.weft.internal.context.Ids;
import dev.weft.spi.Event;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JmxTest {
  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
  private static ObjectName name;

  @BeforeAll
  static void setUp() throws Exception {
    Recorded.configure();
    name = new ObjectName("dev.weft:type=Weft");
  }

  @AfterAll
  static void tearDown() {
    Recorded.reset();
  }

  /** One switch state, applied through JMX, and whether a span is then expected. */
  private record Phase(boolean enabled, boolean annotated) {
    boolean records() {
      return enabled && annotated;
    }
  }

  @Test
  void switchingOverJmx_changesWhatIsRecordedFromTheNextCallOn() throws Exception {
    List<Phase> phases =
        List.of(
            new Phase(true, true),
            new Phase(false, true),
            new Phase(true, true),
            new Phase(true, false),
            new Phase(true, true),
            new Phase(false, false),
            new Phase(true, true));
    SERVER.setAttribute(name, new Attribute("Enabled", true));
    SERVER.setAttribute(name, new Attribute("TraceAnnotated", true));

    // Protocol: the test thread announces phase p (begun), applies it over JMX, then marks it
    // done. An iteration that reads done == p before its call and begun == p after it ran
    // entirely under phase p's switches; iterations that overlap a change are left out.
    AtomicInteger begun = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong[] cleanIterations = new AtomicLong[phases.size()];
    for (int i = 0; i < cleanIterations.length; i++) {
      cleanIterations[i] = new AtomicLong();
    }
    List<int[]> iterations = new ArrayList<>(); // {iteration, phase}; loop thread only
    String base = Ids.newId();
    assertThat(Weft.flush()).isTrue();
    long droppedBefore = dropped();

    Thread loop =
        new Thread(
            () -> {
              try (TraceScope t = Trace.begin(base, null, null)) {
                for (int i = 0; !stop.get(); i++) {
                  int before = done.get();
                  try (Span s = Trace.span("it-" + i)) {
                    s.info("i", Integer.toString(i));
                  }
                  int after = begun.get();
                  if (before == after) {
                    iterations.add(new int[] {i, before});
                    cleanIterations[before].incrementAndGet();
                  }
                  java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
              }
            },
            "jmx-loop");
    loop.start();
    for (int p = 0; p < phases.size(); p++) {
      if (p > 0) {
        begun.set(p);
        SERVER.setAttribute(name, new Attribute("Enabled", phases.get(p).enabled()));
        SERVER.setAttribute(name, new Attribute("TraceAnnotated", phases.get(p).annotated()));
        done.set(p);
      }
      assertThat((Boolean) SERVER.getAttribute(name, "Enabled")).isEqualTo(phases.get(p).enabled());
      assertThat((Boolean) SERVER.getAttribute(name, "TraceAnnotated"))
          .isEqualTo(phases.get(p).annotated());
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (cleanIterations[p].get() < 50 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
    }
    stop.set(true);
    loop.join(30_000);
    assertThat(loop.isAlive()).isFalse();
    for (int p = 0; p < phases.size(); p++) {
      assertThat(cleanIterations[p].get())
          .as("clean iterations in phase %d", p)
          .isGreaterThanOrEqualTo(50);
    }

    assertThat(Weft.flush()).isTrue();
    Set<String> recorded = new HashSet<>();
    for (Event e : MemoryCollector.events()) {
      if (e.baseId().equals(base) && e.name().endsWith("-start")) {
        recorded.add(e.name().substring(0, e.name().length() - "-start".length()));
      }
    }
    assertThat(dropped()).isEqualTo(droppedBefore);
    List<String> wrong = new ArrayList<>();
    for (int[] it : iterations) {
      boolean expected = phases.get(it[1]).records();
      if (recorded.contains("it-" + it[0]) != expected) {
        wrong.add("iteration " + it[0] + " in phase " + it[1] + " expected recorded=" + expected);
      }
    }
    assertThat(wrong).isEmpty();
  }

  private static long dropped() throws Exception {
    return (Long) SERVER.getAttribute(name, "SpansDropped");
  }

  @Test
  void exposesKeyCountButNeverTheKeys() throws Exception {
    Weft.set("weft.hmac_keys", "sekrit-alpha-key, sekrit-beta-key");
    try {
      assertThat((Integer) SERVER.getAttribute(name, "HmacKeyCount")).isEqualTo(2);
      Set<String> attributes = new HashSet<>();
      for (MBeanAttributeInfo a : SERVER.getMBeanInfo(name).getAttributes()) {
        attributes.add(a.getName());
        Object value = SERVER.getAttribute(name, a.getName());
        assertThat(String.valueOf(value))
            .as(a.getName())
            .doesNotContain("sekrit-alpha-key")
            .doesNotContain("sekrit-beta-key");
      }
      assertThat(attributes)
          .contains(
              "Enabled",
              "TraceAnnotated",
              "HmacKeyCount",
              "Collector",
              "SpansAccepted",
              "SpansStored",
              "SpansDroppedQueueFull",
              "SpansDroppedCollectorError",
              "QueueCapacity")
          .doesNotContain("HmacKeys");
      Set<String> operations = new HashSet<>();
      for (MBeanOperationInfo o : SERVER.getMBeanInfo(name).getOperations()) {
        operations.add(o.getName());
      }
      assertThat(operations).containsExactlyInAnyOrder("set", "setCategory", "reload", "flush");
      assertThat(Weft.describe()).contains("hmac_keys=2").doesNotContain("sekrit");
    } finally {
      Weft.set("weft.hmac_keys", null);
    }
    assertThat((Integer) SERVER.getAttribute(name, "HmacKeyCount")).isZero();
  }

  @Test
  void setOperation_changesAnyKeyAtRuntime() throws Exception {
    SERVER.invoke(
        name,
        "set",
        new Object[] {"weft.trace.redis", "true"},
        new String[] {"java.lang.String", "java.lang.String"});
    try {
      assertThat((Boolean) SERVER.getAttribute(name, "TraceRedis")).isTrue();
      assertThat(dev.weft.internal.config.Switches.redis).isTrue();
    } finally {
      SERVER.invoke(
          name,
          "set",
          new Object[] {"weft.trace.redis", ""},
          new String[] {"java.lang.String", "java.lang.String"});
    }
    assertThat((Boolean) SERVER.getAttribute(name, "TraceRedis")).isFalse();
    assertThat(dev.weft.internal.config.Switches.redis).isFalse();
  }

  @Test
  void categoriesComeFromTheTable_asAttributesAndThroughTheMxBeanProxy() throws Exception {
    WeftMXBean proxy = javax.management.JMX.newMXBeanProxy(SERVER, name, WeftMXBean.class);
    java.util.Map<String, Boolean> expected = new java.util.LinkedHashMap<>();
    for (dev.weft.spi.TraceCategory c : dev.weft.spi.TraceCategory.values()) {
      expected.put(c.categoryName(), c.defaultOn());
    }
    assertThat(proxy.getCategories()).isEqualTo(expected);
    proxy.setCategory("sql", true);
    try {
      assertThat((Boolean) SERVER.getAttribute(name, "TraceSql")).isTrue();
      assertThat(proxy.getCategories()).containsEntry("sql", true);
    } finally {
      SERVER.setAttribute(name, new javax.management.Attribute("TraceSql", false));
    }
    assertThat(proxy.getCategories()).containsEntry("sql", false);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> proxy.setCategory("nosuch", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown Weft category: nosuch");
  }
}
