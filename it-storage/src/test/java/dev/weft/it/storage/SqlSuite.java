package dev.weft.it.storage;

import static dev.weft.it.storage.Spans.db;
import static dev.weft.it.storage.Spans.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.tracing.SqlSanitizer;
import dev.weft.testing.RecordedSpan;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hibernate ORM 7 over HikariCP and JDBC, load-time woven; run against each database. */
abstract class SqlSuite {
  static final String SECRET = "s3cret-sql-literal";

  /** The db.system name the spans carry. */
  abstract String system();

  abstract SessionFactory factory();

  /** Whether the driver rejects a bad statement when it is prepared (else when it runs). */
  abstract boolean failsAtPrepare();

  /**
   * The recorded messages of the unique violation and of the integer cast in {@link
   * #driverErrorsLoseTheValuesTheyQuote}: the db span's (the driver's exception), then the
   * hibernate span's (Hibernate's, which quotes the driver's and the statement).
   */
  abstract List<String> scrubbedErrors();

  @BeforeAll
  static void configure() {
    Spans.configure();
    Weft.set("weft.trace.pooling", "false");
  }

  @AfterAll
  static void reset() {
    Spans.reset();
  }

  @BeforeEach
  void clean() {
    factory().inTransaction(s -> s.createMutationQuery("delete from Account").executeUpdate());
    Spans.clear();
  }

  Map<String, Object> sql(String statement) {
    return db(map("system", system(), "statement", statement));
  }

  static Map<String, Object> op(String operation, String entity) {
    return entity == null
        ? db(map("operation", operation))
        : db(map("operation", operation, "entity", entity));
  }

  static final String INSERT = "insert into weft_account (owner,secret,id) values (?,?,?)";
  static final String SELECT_BY_ID =
      "select a1_0.id,a1_0.owner,a1_0.secret from weft_account a1_0 where a1_0.id=?";

  @Test
  void persistAndCommit_theBatchedInsertIsAChildOfCommit() {
    String base;
    try (TraceScope t = Trace.begin("sql-base-1", null, null);
        Session s = factory().openSession()) {
      base = t.baseId();
      Transaction tx = s.beginTransaction();
      s.persist(new Account(1, "alice", SECRET));
      s.persist(new Account(2, "bob", SECRET));
      s.persist(new Account(3, "carol", SECRET));
      tx.commit();
    }
    List<RecordedSpan> spans = Spans.of(base);
    assertThat(spans)
        .extracting(RecordedSpan::name)
        .containsExactly("hibernate", "hibernate", "hibernate", "db", "hibernate");
    String entity = Account.class.getName();
    assertThat(spans)
        .extracting(RecordedSpan::info)
        .containsExactly(
            op("persist", entity),
            op("persist", entity),
            op("persist", entity),
            sql(INSERT),
            op("commit", null));
    RecordedSpan insert = spans.get(3);
    RecordedSpan commit = spans.get(4);
    assertThat(insert.parent()).isEqualTo(commit.id());
    assertThat(commit.parent()).isEqualTo(base);
    assertThat(insert.stopInfo()).isEqualTo(db(map("batch_size", 3)));
    assertThat(Spans.rawEvents()).noneMatch(e -> e.contains(SECRET));
  }

  @Test
  void mergeFlushRemoveAndCommitAreParentsOfTheirStatements() {
    String base;
    try (TraceScope t = Trace.begin("sql-base-8", null, null);
        Session s = factory().openSession()) {
      base = t.baseId();
      Transaction tx = s.beginTransaction();
      Account a = s.merge(new Account(11, "hana", SECRET));
      s.flush();
      s.remove(a);
      tx.commit();
    }
    List<RecordedSpan> spans = Spans.of(base);
    String entity = Account.class.getName();
    assertThat(spans)
        .extracting(RecordedSpan::info)
        .containsExactly(
            sql(SELECT_BY_ID),
            op("merge", entity),
            sql(INSERT),
            op("flush", null),
            op("remove", entity),
            sql("delete from weft_account where id=?"),
            op("commit", null));
    assertThat(spans.get(0).parent()).isEqualTo(spans.get(1).id());
    assertThat(spans.get(2).parent()).isEqualTo(spans.get(3).id());
    assertThat(spans.get(5).parent()).isEqualTo(spans.get(6).id());
    assertThat(List.of(spans.get(1), spans.get(3), spans.get(4), spans.get(6)))
        .extracting(RecordedSpan::parent)
        .containsOnly(base);
    assertThat(spans.get(2).stopInfo()).isEqualTo(db(map("batch_size", 1)));
    assertThat(spans.get(5).stopInfo()).isEqualTo(db(map("batch_size", 1)));
    assertThat(Spans.rawEvents()).noneMatch(e -> e.contains(SECRET));
  }

  @Test
  void findIsTheParentOfItsSelect() {
    factory().inTransaction(s -> s.persist(new Account(5, "dave", SECRET)));
    Spans.clear();
    String base;
    try (TraceScope t = Trace.begin("sql-base-2", null, null);
        Session s = factory().openSession()) {
      base = t.baseId();
      assertThat(s.find(Account.class, 5L).owner()).isEqualTo("dave");
    }
    List<RecordedSpan> spans = Spans.of(base);
    assertThat(spans)
        .extracting(RecordedSpan::info)
        .containsExactly(sql(SELECT_BY_ID), op("find", Account.class.getName()));
    assertThat(spans.get(0).parent()).isEqualTo(spans.get(1).id());
    assertThat(spans.get(0).stopInfo()).isEqualTo(Spans.hostOnly());
  }

  @Test
  void queryLiteralsAreReplacedInHqlAndSql() {
    factory().inTransaction(s -> s.persist(new Account(6, "erin", SECRET)));
    Spans.clear();
    String base;
    try (TraceScope t = Trace.begin("sql-base-3", null, null);
        Session s = factory().openSession()) {
      base = t.baseId();
      List<Account> found =
          s.createSelectionQuery(
                  "from Account a where a.secret = '" + SECRET + "' and a.id > 4", Account.class)
              .getResultList();
      assertThat(found).extracting(Account::owner).containsExactly("erin");
    }
    List<RecordedSpan> spans = Spans.of(base);
    assertThat(spans)
        .extracting(RecordedSpan::info)
        .containsExactly(
            sql(
                "select a1_0.id,a1_0.owner,a1_0.secret from weft_account a1_0"
                    + " where a1_0.secret=? and a1_0.id>?"),
            db(
                map(
                    "operation",
                    "query",
                    "statement",
                    "from Account a where a.secret = ? and a.id > ?")));
    assertThat(spans.get(0).parent()).isEqualTo(spans.get(1).id());
    assertThat(Spans.rawEvents()).noneMatch(e -> e.contains(SECRET));
  }

  @Test
  void bindParametersAreRecordedOnlyWhenAsked() {
    factory().inTransaction(s -> s.persist(new Account(8, "frank", SECRET)));
    Spans.clear();
    String without;
    String with;
    try (TraceScope t = Trace.begin("sql-base-4", null, null);
        Session s = factory().openSession()) {
      without = t.baseId();
      s.find(Account.class, 8L);
    }
    Weft.set("weft.sql.params", "true");
    try (TraceScope t = Trace.begin("sql-base-5", null, null);
        Session s = factory().openSession()) {
      with = t.baseId();
      s.find(Account.class, 8L);
    } finally {
      Weft.set("weft.sql.params", null);
    }
    assertThat(Spans.named(without, "db"))
        .extracting(RecordedSpan::info)
        .containsExactly(sql(SELECT_BY_ID));
    assertThat(Spans.named(with, "db"))
        .extracting(RecordedSpan::info)
        .containsExactly(
            db(map("system", system(), "statement", SELECT_BY_ID, "params", List.of("8"))));
  }

  @Test
  void failingQueryRecordsTheErrorWithLiteralsScrubbed() {
    String base;
    RuntimeException thrown;
    try (TraceScope t = Trace.begin("sql-base-6", null, null);
        Session s = factory().openSession()) {
      base = t.baseId();
      thrown =
          assertThrows(
              RuntimeException.class,
              () ->
                  s.createNativeQuery(
                          "select nope from weft_missing where nope = '" + SECRET + "'",
                          Object.class)
                      .getResultList());
    }
    // H2 fails the statement when it is prepared, before any execute call: only the query span
    // has the error. PostgreSQL prepares lazily and fails the execute: the db span has it too.
    List<RecordedSpan> spans = Spans.of(base);
    if (failsAtPrepare()) {
      assertThat(spans).extracting(RecordedSpan::name).containsExactly("hibernate");
    } else {
      assertThat(spans).extracting(RecordedSpan::name).containsExactly("db", "hibernate");
      Throwable jdbc = thrown.getCause();
      RecordedSpan select = spans.remove(0);
      assertThat(select.info()).isEqualTo(sql("select nope from weft_missing where nope = ?"));
      assertThat(select.stopInfo())
          .isEqualTo(
              map(
                  "etype",
                  jdbc.getClass().getSimpleName(),
                  "message",
                  SqlSanitizer.message(jdbc.getMessage()),
                  "host",
                  "it-host"));
    }
    assertThat(spans.get(0).info())
        .isEqualTo(
            db(
                map(
                    "operation",
                    "query",
                    "statement",
                    "select nope from weft_missing where nope = ?")));
    assertThat(spans.get(0).stopInfo())
        .isEqualTo(
            map(
                "etype",
                thrown.getClass().getSimpleName(),
                "message",
                SqlSanitizer.message(thrown.getMessage()),
                "host",
                "it-host"));
    assertThat(Spans.rawEvents()).noneMatch(e -> e.contains(SECRET));
  }

  static final String MARK = "S3CR3T";

  @Test
  void driverErrorsLoseTheValuesTheyQuote() {
    factory()
        .inTransaction(
            s -> {
              s.createNativeMutationQuery("drop table if exists weft_unique").executeUpdate();
              s.createNativeMutationQuery(
                      "create table weft_unique (email varchar(64) primary key)")
                  .executeUpdate();
              s.createNativeMutationQuery(
                      "insert into weft_unique (email) values ('" + MARK + "@example.com')")
                  .executeUpdate();
            });
    Spans.clear();
    String base;
    RuntimeException duplicate;
    RuntimeException cast;
    try (TraceScope t = Trace.begin("sql-base-9", null, null);
        Session s = factory().openSession()) {
      base = t.baseId();
      Transaction tx = s.beginTransaction();
      duplicate =
          assertThrows(
              RuntimeException.class,
              () ->
                  s.createNativeMutationQuery(
                          "insert into weft_unique (email) values ('" + MARK + "@example.com')")
                      .executeUpdate());
      tx.rollback();
      tx = s.beginTransaction();
      cast =
          assertThrows(
              RuntimeException.class,
              () ->
                  s.createNativeQuery(
                          "select cast(email as integer) from weft_unique", Integer.class)
                      .getResultList());
      tx.rollback();
    } finally {
      factory()
          .inTransaction(
              s -> s.createNativeMutationQuery("drop table weft_unique").executeUpdate());
    }
    // the driver's own messages hold the marker; what is recorded never does
    assertThat(duplicate.getCause().getMessage()).contains(MARK);
    assertThat(cast.getCause().getMessage()).contains(MARK);
    List<RecordedSpan> spans = Spans.of(base);
    String insert = "insert into weft_unique (email) values (?)";
    String select = "select cast(email as integer) from weft_unique";
    assertThat(spans)
        .extracting(RecordedSpan::info)
        .containsExactly(
            sql(insert),
            db(map("operation", "execute_update", "statement", insert)),
            sql(select),
            db(map("operation", "query", "statement", select)));
    assertThat(spans)
        .extracting(span -> span.stopInfo().get("message"))
        .containsExactlyElementsOf(scrubbedErrors());
    assertThat(Spans.rawEvents()).noneMatch(e -> e.contains(MARK));
  }

  @Test
  void failingStatementIsRecordedOnItsDbSpan() {
    factory().inTransaction(s -> s.persist(new Account(9, "gina", SECRET)));
    Spans.clear();
    String base;
    RuntimeException thrown;
    try (TraceScope t = Trace.begin("sql-base-7", null, null);
        Session s = factory().openSession()) {
      base = t.baseId();
      Transaction tx = s.beginTransaction();
      thrown =
          assertThrows(
              RuntimeException.class,
              () ->
                  s.createNativeMutationQuery(
                          "insert into weft_account (id, owner, secret) values (9, 'x', '"
                              + SECRET
                              + "')")
                      .executeUpdate());
      tx.rollback();
    }
    Throwable jdbc = thrown.getCause();
    RecordedSpan insert = Spans.named(base, "db").get(0);
    assertThat(insert.info())
        .isEqualTo(sql("insert into weft_account (id, owner, secret) values (?, ?, ?)"));
    assertThat(insert.stopInfo())
        .isEqualTo(
            map(
                "etype",
                jdbc.getClass().getSimpleName(),
                "message",
                SqlSanitizer.message(jdbc.getMessage()),
                "host",
                "it-host"));
    assertThat(Spans.rawEvents()).noneMatch(e -> e.contains(SECRET));
  }
}
