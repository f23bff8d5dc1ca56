package dev.weft.testapp;

import static dev.weft.testapp.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.weft.Trace;
import dev.weft.TraceHeaders;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.annotations.Traced;
import dev.weft.testapp.client.ApiResponse;
import dev.weft.testapp.client.QueueClient;
import dev.weft.testapp.management.QueueRecord;
import dev.weft.testing.WeftTesting;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.bson.Document;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The redaction audit: every category that this build weaves is driven with secrets planted in its
 * inputs, then every stored event, every log line (java.util.logging / System.Logger with Weft's
 * loggers at every level, stdout and stderr) and every attribute of the JMX MBean {@code
 * dev.weft:type=Weft} is scanned for each secret. None may be found. The documented opt-ins ({@code
 * weft.http.query_values=true} and {@code hideArgs = false} on {@code @Traced}) are then shown to
 * reveal exactly what they document, and nothing else.
 *
 * <p>Runs with the load-time weaving agent (drivers) and the compile-time woven app and test code,
 * with every category switched on.
 */
class RedactionAuditTest {
  // Secrets that nothing may reveal without an opt-in.
  static final String HMAC_KEY_1 = "hmacKey-AUDIT-1-q7Rz";
  static final String HMAC_KEY_2 = "hmacKey-AUDIT-2-w3Kx";
  static final String QUERY_TOKEN = "queryToken-AUDIT-9fLm";
  static final String URL_PASSWORD = "urlPassword-AUDIT-4hTq";
  static final String HOOK_TOKEN = "hookToken-AUDIT-6pVn";
  static final String MESSAGE_SECRET = "messageBody-AUDIT-2cYe";
  static final String TRACED_ARG = "tracedArg-AUDIT-8sWb";
  static final String TRACED_RESULT = "tracedResult-AUDIT-1mDj";
  static final String SQL_LITERAL = "sqlLiteral-AUDIT-7kPe";
  static final String METADATA_SECRET = "queueMetadata-AUDIT-0rGu";
  static final String POOL_PASSWORD = "poolPassword-AUDIT-5bXo";
  static final String MONGO_FILTER_SECRET = "mongoFilter-AUDIT-2tJi";
  static final String MONGO_DOC_SECRET = "mongoDocument-AUDIT-6wQa";
  static final String SQL_DIALECT_SECRET = "sqlDialect-AUDIT-3vNs";
  static final String SQL_COMMENT_SECRET = "sqlComment-AUDIT-8qTe";
  static final String PATH_TOKEN = "pathToken-AUDIT-4kRw";
  static final List<String> SECRETS =
      List.of(
          SQL_DIALECT_SECRET,
          SQL_COMMENT_SECRET,
          PATH_TOKEN,
          HMAC_KEY_1,
          HMAC_KEY_2,
          QUERY_TOKEN,
          URL_PASSWORD,
          HOOK_TOKEN,
          MESSAGE_SECRET,
          TRACED_ARG,
          TRACED_RESULT,
          SQL_LITERAL,
          METADATA_SECRET,
          POOL_PASSWORD,
          MONGO_FILTER_SECRET,
          MONGO_DOC_SECRET);

  // Values that only a documented opt-in reveals.
  static final String OPT_IN_QUERY_TOKEN = "optInQuery-AUDIT-5gHa";
  static final String OPT_IN_ARG = "optInArg-AUDIT-3zNc";
  static final String OPT_IN_SQL_PARAM = "optInSqlParam-AUDIT-8yLd";

  static Fixture f;
  static SessionFactory sessions;
  static MongoClient mongo;
  static PrintStream originalOut;
  static PrintStream originalErr;
  static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();
  static final List<String> LOG_LINES = new ArrayList<>();
  static final Handler LOG_HANDLER =
      new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
          synchronized (LOG_LINES) {
            LOG_LINES.add(format.format(r));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  static Level rootLevel;

  /** Test-local woven code: one method with the default hidden args, one with the opt-in. */
  static class Vault {
    @Traced(name = "vault_open", hideResult = false)
    String open(String password) {
      return "opened:" + password.length();
    }

    @Traced(name = "vault_token")
    String token(String seed) {
      return TRACED_RESULT + seed.length();
    }

    @Traced(name = "vault_reveal", hideArgs = false)
    String reveal(String value) {
      return "revealed";
    }
  }

  @BeforeAll
  static void start() throws Exception {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(tee(originalOut), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(tee(originalErr), true, StandardCharsets.UTF_8));
    // Every record that reaches the root logger at the levels the app runs with, and Weft's own
    // loggers at every level. (Drivers' own debug logging, e.g. Hibernate's bind-value TRACE lines,
    // is the application's choice and not Weft's output: it stays at its configured level.)
    Logger root = Logger.getLogger("");
    rootLevel = root.getLevel();
    LOG_HANDLER.setLevel(Level.ALL);
    Logger.getLogger("dev.weft").setLevel(Level.ALL);
    root.addHandler(LOG_HANDLER);

    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.hmac_keys", HMAC_KEY_1 + "," + HMAC_KEY_2);
    Weft.set("weft.max_traces_per_second", "0");
    for (String cat :
        new String[] {"annotated", "servlet", "http", "mongodb", "redis", "sql", "pooling"}) {
      Weft.set("weft.trace." + cat, "true");
    }
    Weft.set("weft.service", "audit");
    Weft.set("weft.host", "audit-host");
    f = new Fixture();
    Configuration cfg = new Configuration();
    cfg.setProperty("hibernate.connection.provider_class", "hikaricp");
    cfg.setProperty(
        "hibernate.hikari.jdbcUrl",
        "jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    cfg.setProperty("hibernate.hikari.poolName", "audit");
    cfg.setProperty("hibernate.hbm2ddl.auto", "update");
    cfg.addAnnotatedClass(QueueRecord.class);
    sessions = cfg.buildSessionFactory();
    mongo = MongoClients.create(f.mongo.uri("audit"));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      mongo.close();
      sessions.close();
      f.close();
    } finally {
      Weft.resetRuntimeChanges();
      Logger root = Logger.getLogger("");
      root.removeHandler(LOG_HANDLER);
      root.setLevel(rootLevel);
      Logger.getLogger("dev.weft").setLevel(null);
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  private static OutputStream tee(PrintStream original) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (CAPTURED) {
          CAPTURED.write(b);
        }
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (CAPTURED) {
          CAPTURED.write(b, off, len);
        }
        original.write(b, off, len);
      }

      @Override
      public void flush() {
        original.flush();
      }
    };
  }

  @Test
  void noSecretReachesATraceALogOrJmx_andTheOptInsRevealExactlyWhatTheyDocument() throws Exception {
    WeftTesting.clearRecorded();
    String base = "a0d17000-0000-4000-8000-000000000001";

    // 1. The whole app under one trace, signed with the second key, with secrets everywhere.
    String hook =
        f.subscriber.webhookUrl().replace("http://", "http://audit-user:" + URL_PASSWORD + "@")
            + "?token="
            + HOOK_TOKEN;
    List<Integer> statuses = new ArrayList<>();
    Vault vault = new Vault();
    try (TraceScope t = Trace.begin(base, null, HMAC_KEY_2)) {
      for (String pool : new String[] {"redis", "mongo", "sql"}) {
        String queue = "audit-" + pool;
        f.queueIn(queue, pool);
        statuses.add(f.client.createSubscription(queue, hook, 3600).status());
        statuses.add(
            f.client
                .postMessages(
                    queue,
                    List.of(
                        new QueueClient.Message(
                            JsonNodeFactory.instance.textNode(MESSAGE_SECRET), 300)))
                .status());
        // echo: the client's own message (Zaqar lists only others' by default)
        ApiResponse listed = f.client.listMessages(queue, 10, true, false);
        statuses.add(listed.status());
        assertThat(listed.body().path("messages").get(0).path("body").asText())
            .isEqualTo(MESSAGE_SECRET);
        statuses.add(
            f.raw(
                    "GET",
                    "/v2/queues/" + queue + "/messages?limit=5&token=" + QUERY_TOKEN,
                    null,
                    Map.of())
                .status());
      }
      // Management data (Hibernate, bind values): queue metadata and a pool URI with a password.
      ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("password", METADATA_SECRET);
      assertThat(f.client.createQueue("audit-meta", metadata).status()).isEqualTo(201);
      assertThat(
              f.client
                  .registerPool("audit-pw", "redis://:" + POOL_PASSWORD + "@127.0.0.1:1/0", 0)
                  .status())
          .isEqualTo(201);
      // SQL literals, in HQL and in native SQL.
      try (Session s = sessions.openSession()) {
        assertThat(
                s.createSelectionQuery(
                        "from QueueRecord q where q.name = '" + SQL_LITERAL + "'",
                        QueueRecord.class)
                    .list())
            .isEmpty();
        assertThat(
                s.createNativeQuery(
                        "select count(*) from weft_queues where metadata = '" + SQL_LITERAL + "'",
                        Long.class)
                    .getSingleResult())
            .isEqualTo(0L);
        // Dialect traps: under standard SQL (H2) 'C:\' is a whole literal, so the next one must
        // not be read as text; comment bodies go too.
        assertThat(
                s.createNativeQuery(
                        "select count(*) from weft_queues where name = 'C:\\' or name = '"
                            + SQL_DIALECT_SECRET
                            + "' /* user="
                            + SQL_COMMENT_SECRET
                            + " */\n-- token "
                            + SQL_COMMENT_SECRET,
                        Long.class)
                    .getSingleResult())
            .isEqualTo(0L);
      }
      // MongoDB filter and document values, straight through the driver.
      MongoCollection<Document> c = mongo.getDatabase("audit").getCollection("secrets");
      c.insertOne(new Document("owner", "audit").append("secret", MONGO_DOC_SECRET));
      assertThat(c.find(Filters.eq("secret", MONGO_FILTER_SECRET)).first()).isNull();
      assertThat(c.countDocuments(Filters.eq("owner", "audit"))).isEqualTo(1L);
      assertThat(vault.open(TRACED_ARG)).isEqualTo("opened:" + TRACED_ARG.length());
      assertThat(vault.token("x")).isEqualTo(TRACED_RESULT + 1);
    }
    assertThat(statuses)
        .containsExactly(201, 201, 200, 200, 201, 201, 200, 200, 201, 201, 200, 200);
    // A request signed with the first key, straight to the servlet, with a token in the query.
    String direct = "a0d17000-0000-4000-8000-000000000002";
    Map<String, String> signed = TraceHeaders.sign(direct, direct, HMAC_KEY_1);
    assertThat(f.raw("GET", "/v2/queues?token=" + QUERY_TOKEN, null, signed).status())
        .isEqualTo(200);
    // A capability token in the path (a route the API does not serve: no application code sees
    // it, so only Weft's servlet span could record it), signed with the first key.
    String pathed = "a0d17000-0000-4000-8000-000000000004";
    f.raw("HEAD", "/v2/reset/" + PATH_TOKEN, null, TraceHeaders.sign(pathed, pathed, HMAC_KEY_1));
    // A servlet span ends after its response reached the client: wait for the last ones.
    settle(direct, "wsgi-stop", 1);
    settle(pathed, "wsgi-stop", 1);
    // Per pool: 3 pool registrations, the queue, the subscription, the post, the webhook's
    // delivery, the two listings (9 x 3); then the queue with metadata and the pool with a
    // password.
    settle(base, "wsgi-stop", 29);

    // What was recorded is there (the audit scans real traces, not empty ones).
    List<JsonNode> events = events();
    JsonNode directServlet = only(events, direct, "wsgi-start");
    assertThat(directServlet.path("info").path("request").path("query").asText())
        .isEqualTo("token=?");
    assertThat(only(events, pathed, "wsgi-start").path("info").path("request").path("path"))
        .isEqualTo(json("\"/v2/reset/?\""));
    assertThat(names(events, base))
        .contains(
            "wsgi-start",
            "http-start",
            "pool_select-start",
            "db-start",
            "hibernate-start",
            "redis-start",
            "mongodb-start",
            "vault_open-start",
            "vault_token-stop");
    assertThat(names(events, base)).filteredOn(n -> n.equals("wsgi-stop")).hasSize(29);
    // What the storage spans record of the planted values: ? in their place.
    assertThat(names(events, base)).filteredOn(n -> n.equals("db-start")).hasSizeGreaterThan(5);
    assertThat(events)
        .filteredOn(e -> e.path("name").asText().equals("db-start"))
        .extracting(e -> e.path("info").path("db").path("statement").asText())
        .contains(
            "INSERT INTO weft_messages (id, queue, body, ttl, created, expires, client_id) VALUES"
                + " (?, ?, ?, ?, ?, ?, ?)",
            "select count(*) from weft_queues where metadata = ?",
            "select count(*) from weft_queues where name = ? or name = ? /*?*/\n--?",
            "select qr1_0.name,qr1_0.created,qr1_0.metadata,qr1_0.pool from weft_queues qr1_0"
                + " where qr1_0.name=?");
    assertThat(events)
        .filteredOn(
            e ->
                e.path("name").asText().equals("mongodb-start")
                    && e.path("info").path("db").path("collection").asText().equals("secrets"))
        .extracting(e -> e.path("info").path("db").path("statement").toString())
        .isNotEmpty()
        .allMatch(st -> !st.contains("AUDIT"));
    assertThat(only(events, base, "vault_open-start").path("info"))
        .isEqualTo(
            json(
                "{\"function\": {\"name\":"
                    + " \"dev.weft.testapp.RedactionAuditTest$Vault.open\"}, \"host\":"
                    + " \"audit-host\"}"));
    assertThat(only(events, base, "vault_open-stop").path("info"))
        .isEqualTo(json("{\"function\": {\"result\": \"opened:20\"}, \"host\": \"audit-host\"}"));
    // The webhook call: user info and the token's value are not recorded.
    List<JsonNode> hookCalls = new ArrayList<>();
    for (JsonNode e : events) {
      if (e.path("name").asText().equals("http-start")
          && e.path("info").path("requests").path("path").asText().equals("/notifications")) {
        hookCalls.add(e);
      }
    }
    assertThat(hookCalls).hasSize(3);
    assertThat(hookCalls.get(0).path("info").path("requests"))
        .isEqualTo(
            json(
                "{\"method\": \"POST\", \"query\": \"token=?\", \"path\": \"/notifications\","
                    + " \"hostname\": \"127.0.0.1\", \"port\": "
                    + f.subscriber.port()
                    + ", \"scheme\": \"http\"}"));

    // 2. The scan: stored events, log lines, stdout/stderr, JMX, describe().
    Map<String, List<String>> found = scan(events);
    assertThat(found).as("secrets found, by secret -> where").isEmpty();

    // 3. The documented opt-ins reveal exactly what they document.
    String optIn = "a0d17000-0000-4000-8000-000000000003";
    Weft.set("weft.http.query_values", "true");
    Weft.set("weft.sql.params", "true");
    try (TraceScope t = Trace.begin(optIn, null, HMAC_KEY_2)) {
      try (Session s = sessions.openSession()) {
        assertThat(
                s.createSelectionQuery("from QueueRecord q where q.name = :n", QueueRecord.class)
                    .setParameter("n", OPT_IN_SQL_PARAM)
                    .list())
            .isEmpty();
      }
      assertThat(
              f.raw("GET", "/v2/queues?token=" + OPT_IN_QUERY_TOKEN + "&limit", null, Map.of())
                  .status())
          .isEqualTo(200);
      assertThat(vault.reveal(OPT_IN_ARG)).isEqualTo("revealed");
    } finally {
      Weft.set("weft.http.query_values", null);
      Weft.set("weft.sql.params", null);
    }
    settle(optIn, "wsgi-stop", 1);
    List<JsonNode> optInEvents = events();
    assertThat(only(optInEvents, optIn, "http-start").path("info").path("requests").path("query"))
        .isEqualTo(json("\"token=" + OPT_IN_QUERY_TOKEN + "&limit\""));
    assertThat(only(optInEvents, optIn, "wsgi-start").path("info").path("request").path("query"))
        .isEqualTo(json("\"token=" + OPT_IN_QUERY_TOKEN + "&limit\""));
    assertThat(only(optInEvents, optIn, "vault_reveal-start").path("info"))
        .isEqualTo(
            json(
                "{\"function\": {\"name\": \"dev.weft.testapp.RedactionAuditTest$Vault.reveal\","
                    + " \"args\": \"["
                    + OPT_IN_ARG
                    + "]\"}, \"host\": \"audit-host\"}"));
    // The opt-in values appear in those fields only, and the other secrets still nowhere.
    Map<String, Integer> optInHits = new LinkedHashMap<>();
    for (JsonNode e : optInEvents) {
      String text = e.toString();
      for (String s : List.of(OPT_IN_QUERY_TOKEN, OPT_IN_ARG, OPT_IN_SQL_PARAM)) {
        if (text.contains(s)) {
          optInHits.merge(s + " in " + e.path("name").asText(), 1, Integer::sum);
        }
      }
    }
    assertThat(optInHits)
        .isEqualTo(
            Map.of(
                OPT_IN_QUERY_TOKEN + " in http-start", 1,
                OPT_IN_QUERY_TOKEN + " in wsgi-start", 1,
                OPT_IN_ARG + " in vault_reveal-start", 1,
                OPT_IN_SQL_PARAM + " in db-start", 1));
    assertThat(
            optInEvents.stream()
                .filter(e -> e.path("name").asText().equals("db-start"))
                .filter(e -> e.toString().contains(OPT_IN_SQL_PARAM))
                .findFirst()
                .orElseThrow()
                .path("info")
                .path("db")
                .path("params"))
        .isEqualTo(json("[\"" + OPT_IN_SQL_PARAM + "\"]"));
    assertThat(scan(optInEvents)).as("secrets found after the opt-ins").isEmpty();
  }

  /** Every place a secret could leak, searched for every secret: secret -> where it was found. */
  static Map<String, List<String>> scan(List<JsonNode> events) throws Exception {
    Map<String, String> places = new LinkedHashMap<>();
    for (JsonNode e : events) {
      places.put(
          "event " + e.path("base_id").asText() + " " + e.path("name").asText() + " " + e,
          e.toString());
    }
    List<String> raw = WeftTesting.recordedEvents();
    for (int i = 0; i < raw.size(); i++) {
      places.put("raw event " + i + " " + json(raw.get(i)).path("name").asText(), raw.get(i));
    }
    synchronized (LOG_LINES) {
      for (String line : LOG_LINES) {
        places.put("log " + line, line);
      }
    }
    System.out.flush();
    System.err.flush();
    synchronized (CAPTURED) {
      places.put("stdout/stderr", CAPTURED.toString(StandardCharsets.UTF_8));
    }
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("dev.weft:type=Weft");
    for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
      Object v = server.getAttribute(name, a.getName());
      places.put("jmx " + a.getName(), String.valueOf(v));
    }
    places.put("Weft.describe()", Weft.describe());
    assertThat(places.keySet()).anyMatch(k -> k.startsWith("jmx "));

    originalOut.printf(
        "redaction audit: %d secrets x %d places (%d stored events, %d log records, %d bytes of"
            + " stdout/stderr, %d JMX attributes)%n",
        SECRETS.size(),
        places.size(),
        raw.size(),
        LOG_LINES.size(),
        CAPTURED.size(),
        places.keySet().stream().filter(k -> k.startsWith("jmx ")).count());
    Map<String, List<String>> found = new LinkedHashMap<>();
    for (String secret : SECRETS) {
      for (Map.Entry<String, String> p : places.entrySet()) {
        if (p.getValue().contains(secret)) {
          found.computeIfAbsent(secret, k -> new ArrayList<>()).add(p.getKey());
        }
      }
    }
    return found;
  }

  /** Waits (hang guard only) until trace {@code base} holds {@code n} events named {@code name}. */
  static void settle(String base, String name, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      long have =
          WeftTesting.recordedEvents(base).stream()
              .filter(e -> json(e).path("name").asText().equals(name))
              .count();
      if (have >= n) {
        return;
      }
      Thread.sleep(10);
    }
  }

  static List<JsonNode> events() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String e : WeftTesting.recordedEvents()) {
      out.add(json(e));
    }
    return out;
  }

  static List<String> names(List<JsonNode> events, String base) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : events) {
      if (e.path("base_id").asText().equals(base)) {
        out.add(e.path("name").asText());
      }
    }
    return out;
  }

  static JsonNode only(List<JsonNode> events, String base, String name) {
    List<JsonNode> m = new ArrayList<>();
    for (JsonNode e : events) {
      if (e.path("base_id").asText().equals(base) && e.path("name").asText().equals(name)) {
        m.add(e);
      }
    }
    assertThat(m).as("%s in %s", name, base).hasSize(1);
    return m.get(0);
  }
}
