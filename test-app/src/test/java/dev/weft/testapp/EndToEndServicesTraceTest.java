package dev.weft.testapp;

import dev.weft.testapp.demo.EmbeddedServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The end-to-end trace suite against CI's services: management data in PostgreSQL (127.0.0.1:5432,
 * a schema of its own), the queue in a pool on Redis at 127.0.0.1:6379. Runs only with {@code
 * WEFT_IT_SERVICES=1}; otherwise every test is reported as skipped with the reason.
 */
class EndToEndServicesTraceTest extends EndToEndTraceSuite {
  static final String PG = ExternalServicesTest.PG;

  String schema;

  @Override
  String skipReason() {
    return ExternalServicesTest.ENABLED
        ? null
        : "PostgreSQL/Redis end-to-end trace suite skipped: set WEFT_IT_SERVICES=1 with PostgreSQL"
            + " at 127.0.0.1:5432 (db test, user postgres) and Redis at 127.0.0.1:6379";
  }

  @Override
  Fixture start(String api, String subscriber) throws Exception {
    // 32 random hex digits: the queue named after the schema is an id to weft.http.path_values
    schema = "weft_e2e_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(PG);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String url = PG + "&currentSchema=" + schema;
    Map<String, String> pools = new LinkedHashMap<>();
    pools.put("redis", "redis://127.0.0.1:6379/0");
    pools.put("postgres", url);
    EmbeddedServers.Mongo mongo = EmbeddedServers.mongo();
    pools.put("mongo", mongo.uri("weft_e2e"));
    return new Fixture(null, mongo, url, pools, api, subscriber);
  }

  @Override
  String queueName() {
    return schema.replace('_', '-');
  }

  /** {@code weft-e2e-} and 32 random hex digits: 16 or more hex digits in a row, an id. */
  @Override
  String recordedQueueName() {
    return "?";
  }

  @Override
  String sqlPool() {
    return "postgres";
  }

  @Override
  String dbSystem() {
    return "postgresql";
  }

  @Override
  void cleanUp() throws Exception {
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(PG);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}
