package dev.weft.it.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.config.Switches;
import dev.weft.spi.TraceCategory;
import dev.weft.testing.RecordedSpan;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.bson.Document;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * Runtime switches: a category flipped with {@code Weft.set}, over JMX or by re-reading the
 * configuration file takes effect at the next join point, without a restart.
 */
class RuntimeSwitchTest {
  static SessionFactory factory;
  static Jedis jedis;
  static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();
  static ObjectName weft;

  @BeforeAll
  static void configure() throws Exception {
    Spans.configure();
    factory = Databases.h2("weft-switch");
    factory.inTransaction(s -> s.persist(new Account(1, "ann", "x")));
    jedis = new Jedis("127.0.0.1", SharedServers.redisPort());
    SharedServers.mongoClient();
    SharedServers.hikari();
    weft = new ObjectName("dev.weft:type=Weft");
  }

  @AfterAll
  static void reset() {
    System.clearProperty("weft.config");
    jedis.close();
    factory.close();
    Spans.reset();
  }

  @BeforeEach
  void clear() {
    Spans.clear();
  }

  /** Runs the loop body under a hand span per iteration; returns the iterations with a db span. */
  static List<Integer> sqlLoop(Consumer<Integer> flip) {
    String base;
    List<String> iterations = new ArrayList<>();
    try (TraceScope t = Trace.begin("switch-" + System.nanoTime(), null, null);
        Session s = factory.openSession()) {
      base = t.baseId();
      for (int i = 0; i < 6; i++) {
        flip.accept(i);
        try (Span it = Trace.span("iteration-" + i)) {
          iterations.add(it.id());
          s.clear();
          s.find(Account.class, 1L);
        }
      }
    }
    List<Integer> withSql = new ArrayList<>();
    List<RecordedSpan> spans = Spans.of(base);
    for (int i = 0; i < iterations.size(); i++) {
      String id = iterations.get(i);
      boolean hasFind = false;
      for (RecordedSpan sp : spans) {
        if (sp.name().equals("hibernate") && id.equals(sp.parent())) {
          hasFind = true;
          assertThat(spans).anyMatch(d -> d.name().equals("db") && sp.id().equals(d.parent()));
        }
      }
      if (hasFind) {
        withSql.add(i);
      }
    }
    return withSql;
  }

  @org.junit.jupiter.api.Test
  void sqlSwitchedOffMidLoopWithWeftSet_stopsFromTheNextStatement() {
    List<Integer> traced =
        sqlLoop(
            i -> {
              if (i == 2) {
                Weft.set("weft.trace.sql", "false");
              } else if (i == 4) {
                Weft.set("weft.trace.sql", "true");
              }
            });
    assertThat(traced).containsExactly(0, 1, 4, 5);
  }

  @org.junit.jupiter.api.Test
  void sqlSwitchedOffMidLoopOverJmx() {
    List<Integer> traced =
        sqlLoop(
            i -> {
              try {
                if (i == 1) {
                  MBEANS.setAttribute(weft, new Attribute("TraceSql", false));
                  assertThat(MBEANS.getAttribute(weft, "TraceSql")).isEqualTo(false);
                } else if (i == 3) {
                  MBEANS.setAttribute(weft, new Attribute("TraceSql", true));
                }
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    assertThat(traced).containsExactly(0, 3, 4, 5);
  }

  /** Runs one operation of the category in a trace and returns how many of its spans it left. */
  static int spansOf(String category) throws Exception {
    String base;
    try (TraceScope t = Trace.begin(category + "-" + System.nanoTime(), null, null)) {
      base = t.baseId();
      operation(category);
    }
    return Spans.named(base, spanName(category)).size();
  }

  /** One operation of the category (one span's worth) on this thread. */
  static void operation(String category) throws Exception {
    switch (category) {
      case "mongodb":
        SharedServers.mongoClient()
            .getDatabase("weftit")
            .getCollection("switch")
            .insertOne(new Document("a", 1));
        break;
      case "redis":
        jedis.ping();
        break;
      case "sql":
        try (Session s = factory.openSession()) {
          s.find(Account.class, 1L);
        }
        break;
      case "pooling":
        try (Connection c = SharedServers.hikari().getConnection()) {
          c.isValid(1);
        }
        break;
      default:
        throw new IllegalArgumentException(category);
    }
  }

  static String spanName(String category) {
    return category.equals("sql") ? "db" : category;
  }

  static String attribute(String category) {
    return "Trace" + Character.toUpperCase(category.charAt(0)) + category.substring(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mongodb", "redis", "sql", "pooling"})
  void everyCategoryFlipsOverJmx(String category) throws Exception {
    assertThat(spansOf(category)).isEqualTo(1);
    MBEANS.setAttribute(weft, new Attribute(attribute(category), false));
    try {
      assertThat(spansOf(category)).isZero();
    } finally {
      MBEANS.setAttribute(weft, new Attribute(attribute(category), true));
    }
    assertThat(spansOf(category)).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mongodb", "redis", "sql", "pooling"})
  void everyCategoryFlipsByRereadingTheConfigFile(String category) throws Exception {
    String key = "weft.trace." + category;
    Path file = Files.createTempFile("weft", ".properties");
    try {
      Weft.set(key, null); // no runtime change: the file decides
      System.setProperty("weft.config", file.toString());
      Files.writeString(file, key + "=false\n", StandardCharsets.UTF_8);
      Weft.reload();
      assertThat(spansOf(category)).isZero();
      Files.writeString(file, key + "=true\n", StandardCharsets.UTF_8);
      Weft.reload();
      assertThat(spansOf(category)).isEqualTo(1);
    } finally {
      System.clearProperty("weft.config");
      Weft.set(key, "true");
      Files.deleteIfExists(file);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mongodb", "redis", "sql", "pooling"})
  void aCategoryOffForTheProcess_isRecordedForTheTraceThatAsksForIt_only(String category)
      throws Exception {
    String key = "weft.trace." + category;
    Weft.set(key, "false");
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      assertThat(spansOf(category)).isZero();
      String base;
      int otherTraceMeanwhile;
      try (TraceScope t = Trace.beginClient("switch-key", category)) {
        base = t.baseId();
        assertThat(Switches.on(Switches.index(category))).isTrue();
        // the flag is on now, but a trace that did not ask records nothing
        otherTraceMeanwhile = other.submit(() -> spansOf(category)).get(30, TimeUnit.SECONDS);
        operation(category);
      }
      assertThat(otherTraceMeanwhile).isZero();
      assertThat(Spans.named(base, spanName(category))).hasSize(1);
      assertThat(Switches.requested(TraceCategory.byName(category))).isZero();
      assertThat(Switches.on(Switches.index(category))).isFalse();
      assertThat(spansOf(category)).isZero();
    } finally {
      other.shutdown();
      Weft.set(key, "true");
    }
  }
}
