package dev.weft.cli;

import static dev.weft.cli.SampleTraces.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.internal.Label;
import dev.weft.cli.internal.TraceModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Labels built from the start and stop info that Weft's integrations and OSProfiler record. */
class LabelTest {
  static TraceModel.SpanNode span(
      String name, Map<String, Object> start, Map<String, Object> stop) {
    return new Bottlenecks.Trace("t")
        .span("s", null, name, 0, 10, start, stop)
        .model()
        .spans
        .get(0);
  }

  static String label(String name, Map<String, Object> start) {
    return Label.of(span(name, start, map()));
  }

  static String db(String statement) {
    return label("db", map("db", map("system", "h2", "statement", statement)));
  }

  @Test
  void sqlIsItsVerbAndFirstTable() {
    assertThat(db("SELECT id, ttl FROM queues WHERE name = ?")).isEqualTo("db SELECT queues");
    assertThat(db("insert into \"weft_messages\" (id, body) values (?, ?)"))
        .isEqualTo("db INSERT \"weft_messages\"");
    assertThat(db("UPDATE public.queues SET depth = depth + ? WHERE id = ?"))
        .isEqualTo("db UPDATE public.queues");
    assertThat(db("DELETE FROM messages WHERE ttl < ?")).isEqualTo("db DELETE messages");
    assertThat(db("WITH recent AS (SELECT * FROM messages) SELECT count(*) FROM recent"))
        .isEqualTo("db SELECT recent");
    assertThat(db("select * from (select id from a) t")).isEqualTo("db SELECT");
    assertThat(db("select (select max(id) from a) from b")).isEqualTo("db SELECT b");
    assertThat(db("CREATE TABLE IF NOT EXISTS weft_queues (id BIGINT)"))
        .isEqualTo("db CREATE TABLE weft_queues");
    assertThat(db("/* FROM x */ -- FROM y\nselect 'FROM z' from t")).isEqualTo("db SELECT t");
    assertThat(db("CALL refresh_stats(?)")).isEqualTo("db CALL refresh_stats");
    assertThat(db("BEGIN")).isEqualTo("db BEGIN");
    assertThat(db("SELECT 1")).isEqualTo("db SELECT");
    assertThat(label("db", map("db", map("system", "h2")))).isEqualTo("db");
  }

  @Test
  void aBatchSaysHowManyRows() {
    assertThat(
            Label.of(
                span(
                    "db",
                    map("db", map("statement", "INSERT INTO t (a) VALUES (?)")),
                    map("db", map("batch_size", 20)))))
        .isEqualTo("db INSERT t (batch 20)");
  }

  @Test
  void hibernateIsTheOperationAndTheEntityOrTheQuery() {
    assertThat(
            label(
                "hibernate",
                map("db", map("operation", "find", "entity", "dev.weft.store.QueueRecord"))))
        .isEqualTo("hibernate find QueueRecord");
    assertThat(
            label(
                "hibernate",
                map("db", map("operation", "persist", "entity", "dev.weft.store.Outer$Inner"))))
        .isEqualTo("hibernate persist Inner");
    assertThat(
            label(
                "hibernate",
                map(
                    "db",
                    map("operation", "query", "statement", "from QueueRecord q where q.name=?"))))
        .isEqualTo("hibernate query SELECT QueueRecord");
    assertThat(label("hibernate", map("db", map("operation", "flush"))))
        .isEqualTo("hibernate flush");
  }

  @Test
  void redisAndMongodbAreTheCommandAndWhatItTouched() {
    assertThat(
            label("redis", map("db", map("system", "redis", "operation", "GET", "key", "queue:7"))))
        .isEqualTo("redis GET queue:7");
    assertThat(label("redis", map("db", map("system", "redis", "operation", "PING"))))
        .isEqualTo("redis PING");
    assertThat(label("redis", map("redis", map("command", "INCR", "key", "n"))))
        .isEqualTo("redis INCR n");
    assertThat(
            label(
                "mongodb",
                map(
                    "db",
                    map(
                        "system",
                        "mongodb",
                        "namespace",
                        "weft",
                        "collection",
                        "messages",
                        "operation",
                        "aggregate",
                        "statement",
                        "[{\"$match\": {\"q\": \"?\"}}]"))))
        .isEqualTo("mongodb aggregate messages");
    assertThat(label("mongodb", map("db", map("namespace", "weft", "command", "ping"))))
        .isEqualTo("mongodb ping weft");
  }

  @Test
  void httpIsTheMethodHostAndPathWithAFailedStatus() {
    Map<String, Object> put =
        map(
            "requests",
            map(
                "method",
                "PUT",
                "query",
                "",
                "path",
                "/v2/queues/demo-1",
                "hostname",
                "127.0.0.1",
                "port",
                8888,
                "scheme",
                "http"));
    assertThat(Label.of(span("http", put, map("requests", map("status_code", 204)))))
        .isEqualTo("http PUT 127.0.0.1/v2/queues/demo-1");
    assertThat(Label.of(span("https", put, map("requests", map("status_code", 503)))))
        .isEqualTo("https PUT 127.0.0.1/v2/queues/demo-1 → 503");
    assertThat(Label.key(span("https", put, map("requests", map("status_code", 503)))))
        .isEqualTo("https PUT 127.0.0.1/v2/queues/demo-?");
    // The shape stores written before the rename hold.
    assertThat(
            label(
                "http",
                map(
                    "request",
                    map("method", "GET", "scheme", "http", "host", "sub", "path", "/v1/notify"))))
        .isEqualTo("http GET sub/v1/notify");
  }

  @Test
  void theEntryIsTheMethodAndPathUnderEitherName() {
    Map<String, Object> get =
        map("request", map("path", "/v2/queues", "query", "", "method", "GET", "scheme", "http"));
    assertThat(label("wsgi", get)).isEqualTo("wsgi GET /v2/queues");
    assertThat(Label.of(span("servlet", get, map("response", map("status", 404)))))
        .isEqualTo("servlet GET /v2/queues → 404");
  }

  @Test
  void aPoolCheckoutIsThePoolAndTheWait() {
    assertThat(label("pooling", map("pooling", map("pool", "management", "wait_micros", 65))))
        .isEqualTo("pooling checkout management (65 µs)");
    TraceModel.SpanNode hikari =
        span("pooling", map("pooling", map("pool", "HikariPool-1", "wait_micros", 1240)), map());
    assertThat(Label.of(hikari)).isEqualTo("pooling checkout HikariPool-1 (1.24 ms)");
    assertThat(Label.key(hikari)).isEqualTo("pooling checkout HikariPool-1");
  }

  @Test
  void aTracedFunctionAddsItsClassAndMethodUnlessTheNameIsThat() {
    assertThat(
            label(
                "pool_select",
                map("function", map("name", "dev.weft.testapp.pooling.PoolSelector.select"))))
        .isEqualTo("pool_select PoolSelector.select");
    assertThat(
            label(
                "QueueClient.postMessages",
                map("function", map("name", "dev.weft.testapp.client.QueueClient.postMessages"))))
        .isEqualTo("QueueClient.postMessages");
    assertThat(label("n0001", map())).isEqualTo("n0001");
  }

  @Test
  void labelsAreOneLineOfAtMost80Characters() {
    String key = "k".repeat(100);
    String l = label("redis", map("db", map("operation", "GET", "key", key)));
    assertThat(l).hasSize(80).isEqualTo("redis GET " + "k".repeat(69) + "…");
    assertThat(label("redis", map("db", map("operation", "GET", "key", "a\n\t b"))))
        .isEqualTo("redis GET a b");
  }

  @Test
  void keysLeaveOutNumbersAndIds() {
    assertThat(
            Label.key(
                span(
                    "redis",
                    map("db", map("operation", "GET", "key", "queue:demo-12:5f2c9a7e:meta")),
                    map())))
        .isEqualTo("redis GET queue:demo-?:?:meta");
    assertThat(
            Label.key(
                span(
                    "wsgi",
                    map(
                        "request",
                        map(
                            "method",
                            "DELETE",
                            "path",
                            "/v2/queues/demo/messages/0b9e3d1a-5c7f-4e2b-8a6d-1f2e3d4c5b6a")),
                    map())))
        .isEqualTo("wsgi DELETE /v2/queues/demo/messages/?");
    assertThat(
            Label.key(
                span(
                    "wsgi",
                    map("request", map("method", "GET", "path", "/v2/queues/orders_17/stats")),
                    map())))
        .isEqualTo("wsgi GET /v2/queues/orders_?/stats");
  }
}
