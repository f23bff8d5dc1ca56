package dev.weft.internal.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Hostile statements per dialect, each with the marker {@value #MARK} in a literal or a comment:
 * the exact sanitized text, and the marker never in it. Then driver messages, and a property: a
 * literal or comment written correctly for a dialect never shows its body, read with that dialect's
 * rules or with the unknown-dialect rules.
 */
class SqlDialectCorpusTest {
  static final String MARK = "S3CR3T";

  /** Pairs of statement and expected text, checked under each system given. */
  private static void corpus(List<String> systems, String... pairs) {
    assertTrue(pairs.length >= 16, "at least 8 statements");
    for (String system : systems) {
      for (int i = 0; i < pairs.length; i += 2) {
        String sql = pairs[i];
        assertTrue(sql.contains(MARK), sql);
        String got = SqlSanitizer.sanitize(sql, system);
        assertEquals(pairs[i + 1], got, system + ": " + sql);
        assertFalse(got.contains(MARK), got);
      }
    }
  }

  @Test
  void h2() {
    corpus(
        List.of("h2"),
        "SET home = 'C:\\' , token = 'S3CR3T'",
        "SET home = ? , token = ?",
        "select * from users where name = 'o''S3CR3T' and pw = 'S3CR3T'",
        "select * from users where name = ? and pw = ?",
        "select $$it's S3CR3T$$ as x, X'53335243523354' as b",
        "select ? as x, ? as b",
        "select 1 /* user=S3CR3T */ from dual -- token S3CR3T",
        "select ? /*?*/ from dual --?",
        "select 1 // S3CR3T\nfrom t",
        "select ? //?\nfrom t",
        "select 1 /* outer /* inner S3CR3T */ still S3CR3T */ , \"ID\", `NAME` from t",
        "select ? /*?*/ , \"ID\", `NAME` from t",
        "insert into t values (42, N'S3CR3T', 'C:\\temp\\', 'S3CR3T', -1.5e3, 0x1F)",
        "insert into t values (?, ?, ?, ?, -?, ?)",
        "select E'S3CR3T\\' from t where a = 'S3CR3T'",
        "select ? from t where a = ?",
        "select 1 -- S3CR3T\r, 'S3CR3T'",
        "select ? --?\r, ?",
        "select q'[S3CR3T]' from t where x = ? and y = ?1",
        "select q? from t where x = ? and y = ?1");
  }

  @Test
  void postgresql() {
    corpus(
        List.of("postgresql"),
        "SET home = 'C:\\' , token = 'S3CR3T'",
        "SET home = ? , token = ?",
        "select E'it\\'s S3CR3T', e'\\\\' , 'S3CR3T'",
        "select ?, ? , ?",
        "select $tag$it's S3CR3T$tag$, $$S3CR3T$$, $a$ $b$ S3CR3T $b$ $a$ from t where id = $1",
        "select ?, ?, ? from t where id = $1",
        "select 1 /* a /* nested S3CR3T */ S3CR3T */ , 2 -- token S3CR3T",
        "select ? /*?*/ , ? --?",
        "select \"Name\", U&'S3CR3T', B'0101', X'FF' from \"T\" where a = 'S3CR3T'::text",
        "select \"Name\", U&?, ?, ? from \"T\" where a = ?::text",
        "insert into t values (42, -7.5e-3, 0x1F, 'S3CR3T')",
        "insert into t values (?, -?, ?, ?)",
        "select q'[S3CR3T]', N'S3CR3T'",
        "select q?, ?",
        "select 'a' -- S3CR3T\r'S3CR3T'",
        "select ? --?\r?",
        "select array['S3CR3T', 'x'][1]",
        "select array[?, ?][?]",
        "select 'it''s' || 'S3CR3T' from t where c = :name and d = ?",
        "select ? || ? from t where c = :name and d = ?");
  }

  @Test
  void mysqlAndMariadb() {
    corpus(
        List.of("mysql", "mariadb"),
        // one string with backslash escapes, two under NO_BACKSLASH_ESCAPES: the rest is redacted
        "SET home = 'C:\\' , token = 'S3CR3T'",
        "SET home = ?",
        "select \"S3CR3T\", 'it''s', 'a\\\\' from t",
        "select ?, ?, ? from t",
        "select 1 # token S3CR3T\n, 2 -- S3CR3T\n, 3",
        "select ? #?\n, ? --?\n, ?",
        "select /* user=S3CR3T */ 1 /*+ S3CR3T */",
        "select /*?*/ ? /*?*/",
        "select /*!50000 'S3CR3T', */ 1 /*M!100100 \"S3CR3T\" */",
        "select /*!50000 ?, */ ? /*M!100100 ? */",
        "select * from `order` where note = 'it\\'s S3CR3T' and id = 42",
        "select * from `order` where note = ?",
        "insert into t values (X'53', b'01', 0x1F, N'S3CR3T', _utf8mb4'S3CR3T')",
        "insert into t values (?, ?, ?, ?, _utf8mb4?)",
        "select \"a\\\"b\" , 'S3CR3T'",
        "select ?",
        "select 1 -- S3CR3T\r, 'S3CR3T'\n, 2",
        "select ? --?\n, ?",
        "select 'S3CR3T' as `alias`, \"S3CR3T\" as `a``b`",
        "select ? as `alias`, ? as `a``b`");
  }

  @Test
  void oracle() {
    corpus(
        List.of("oracle"),
        "SET home = 'C:\\' , token = 'S3CR3T'",
        "SET home = ? , token = ?",
        "select q'[it's S3CR3T]', nq'{S3CR3T}', Q'<S3CR3T>', q'(S3CR3T)', q'!S3CR3T!' from dual",
        "select ?, ?, ?, ?, ? from dual",
        "select q'#a]'S3CR3T#', NQ'[S3CR3T]' from dual",
        "select ?, ? from dual",
        "select 1 from dual /* user=S3CR3T */ -- token S3CR3T",
        "select ? from dual /*?*/ --?",
        "select \"Name\", N'S3CR3T', 'it''s' from \"T\" where id = :id and x = 1e3",
        "select \"Name\", ?, ? from \"T\" where id = :id and x = ?",
        // whether \r ends a line comment is read both ways
        "select 1 -- S3CR3T\r\nfrom dual",
        "select ? --?\nfrom dual",
        "select 1 -- x\r'S3CR3T'\nfrom dual",
        "select ? ?\nfrom dual",
        "select V$SESSION.sid from V$SESSION where 'S3CR3T' = q'{S3CR3T}'",
        "select V$SESSION.sid from V$SESSION where ? = ?",
        "insert into t values (1.5, -2, .5, 'S3CR3T')",
        "insert into t values (?, -?, ?, ?)");
  }

  @Test
  void sqlServer() {
    corpus(
        List.of("mssql", "sqlserver"),
        "SET @home = 'C:\\' ; SET @token = 'S3CR3T'",
        "SET @home = ? ; SET @token = ?",
        "select [order], [a]]b], \"c\" from t where n = N'S3CR3T'",
        "select [order], [a]]b], \"c\" from t where n = ?",
        "select $12.50, $-1, 0x53335243523354 where 'S3CR3T' = 1",
        "select ?, $-?, ? where ? = ?",
        "select 1 /* a /* S3CR3T */ S3CR3T */ , 2 -- S3CR3T",
        "select ? /*?*/ , ? --?",
        "select * from #tmp where a = 'it''s S3CR3T' and b = @p1",
        "select * from #tmp where a = ? and b = @p1",
        "select 1 -- S3CR3T\r\nselect 2",
        "select ? --?\nselect ?",
        "exec sp_executesql N'select ''S3CR3T''', N'@p int', @p = 42",
        "exec sp_executesql ?, ?, @p = ?",
        "select 'S3CR3T' as [it's]",
        "select ? as [it's]");
  }

  @Test
  void unknownDialects() {
    corpus(
        Arrays.asList(null, "other_sql", "informix"),
        "SET home = 'C:\\' , token = 'S3CR3T'",
        "SET home = ?",
        // a string on MySQL
        "select \"S3CR3T\" from t",
        "select ? from t",
        "select 1 /* user=S3CR3T */ , 2 -- token S3CR3T\n, 3 # S3CR3T\n, 4",
        "select ? /*?*/ , ? --?\n, ? #?\n, ?",
        "select q'[it's S3CR3T]' from dual",
        "select ?",
        "select $tag$it's S3CR3T$tag$ , 1",
        "select ?",
        "select /*!50000 'S3CR3T' */ 1",
        "select ? ?",
        "select E'S3CR3T\\' , 'S3CR3T'",
        "select ?",
        "select $$S3CR3T$$, [a], `b`, $1, :name, ? from t where x = 0x1F",
        "select ?, [a], `b`, ?, :name, ? from t where x = ?",
        // a comment to the line's end, or two minus signs (MySQL)
        "select 1 --S3CR3T\n, 2",
        "select ? --?\n, ?",
        "select 'it''s', 'S3CR3T' from t where n = N'S3CR3T'",
        "select ?, ? from t where n = ?");
  }

  @Test
  void hql() {
    corpus(
        List.of("hql"),
        "from Account a where a.secret = 'C:\\' and a.owner = 'S3CR3T'",
        "from Account a where a.secret = ? and a.owner = ?",
        "from A a where a.x = \"it\\\"s S3CR3T\"",
        "from A a where a.x = ?",
        "from A a where a.x = j'it\\'s S3CR3T' and a.y = J\"S3CR3T\"",
        "from A a where a.x = ? and a.y = ?",
        "from A a where a.id > 10L and a.n = 1.5BD and a.h = 0x1F /* S3CR3T */",
        "from A a where a.id > ? and a.n = ? and a.h = ? /*?*/",
        "from A a where a.x = ?1 and a.y = :name and `a`.z = {ts '2020-01-01 S3CR3T'}",
        "from A a where a.x = ?1 and a.y = :name and `a`.z = {ts ?}",
        // Hibernate's lexer: an even run of stars before a slash does not end the comment
        "from A a where a.x = 1 /* x **/ S3CR3T */ and a.y = 'S3CR3T'",
        "from A a where a.x = ? /*?*/ and a.y = ?",
        "from A a where a.x = \"a\\\\\" S3CR3T \"",
        "from A a where a.x = ?",
        "from A a where a.x in ('S3CR3T', \"S3CR3T\", X'FF') and a.h--1 > 0",
        "from A a where a.x in (?, ?, ?) and a.h--? > ?");
  }

  @Test
  void driverMessages() {
    String[] pairs = {
      "ERROR: duplicate key value violates unique constraint \"users_email_key\"\n"
          + "  Detail: Key (email)=(S3CR3T@example.com) already exists.",
      "ERROR: duplicate key value violates unique constraint ?\n"
          + "  Detail: Key (email)=(?) already exists.",
      "ERROR: invalid input syntax for type integer: \"S3CR3T\"\n  Position: 15",
      "ERROR: invalid input syntax for type integer: ?\n  Position: ?",
      "Unique index or primary key violation: \"PUBLIC.PRIMARY_KEY_8 ON PUBLIC.T(ID) VALUES ( /* 1"
          + " */ 'S3CR3T' )\"; SQL statement:\ninsert into t (id) values ('S3CR3T') [23505-232]",
      "Unique index or primary key violation: ?; SQL statement:\n"
          + "insert into t (id) values (?) [?-?]",
      "Duplicate entry 'S3CR3T' for key 'users.email'",
      "Duplicate entry ?",
      "Data truncation: Incorrect integer value: 'S3CR3T' for column 'n' at row 1",
      "Data truncation: Incorrect integer value: ? at row ?",
      // a value that closes its own brackets and quotes
      "ERROR: duplicate key value violates unique constraint \"t_a_b_key\"\n"
          + "  Detail: Key (a, b)=(S3CR3T), (x)) already exists.",
      "ERROR: duplicate key value violates unique constraint ?\n"
          + "  Detail: Key (a, b)=(?) already exists.",
      "ERROR: invalid input syntax for type integer: \"a\" S3CR3T \"b\"",
      "ERROR: invalid input syntax for type integer: ?",
      "ERROR: new row for relation \"t\" violates check constraint \"c\"\n"
          + "  Detail: Failing row contains (1, S3CR3T, null).",
      "ERROR: new row for relation ?\n  Detail: Failing row contains (?).",
      "Violation of UNIQUE KEY constraint 'UQ_users'. Cannot insert duplicate key in object"
          + " 'dbo.users'. The duplicate key value is (S3CR3T).",
      "Violation of UNIQUE KEY constraint ?. The duplicate key value is (?).",
      "You have an error in your SQL syntax; check the manual that corresponds to your MySQL"
          + " server version for the right syntax to use near 'S3CR3T' at line 1",
      "You have an error in your SQL syntax; check the manual that corresponds to your MySQL"
          + " server version for the right syntax to use near ? at line ?",
      "Syntax error in SQL statement \"select $$S3CR3T$$ [*]x\"; SQL statement:\n"
          + "select $$S3CR3T$$ -- S3CR3T\nx /* S3CR3T */ [42000-232]",
      "Syntax error in SQL statement ?; SQL statement:\nselect ? --?\nx /*?*/ [?-?]",
      "could not execute statement [ERROR: duplicate key value violates unique constraint"
          + " \"weft_unique_pkey\"\n  Detail: Key (email)=(S3CR3T@example.com) already exists.]"
          + " [insert into weft_unique (email) values ('S3CR3T@example.com')]",
      "could not execute statement [ERROR: duplicate key value violates unique constraint ?\n"
          + "  Detail: Key (email)=(?)]",
      "Cannot insert N'S3CR3T' or q'[S3CR3T]'",
      "Cannot insert N?",
    };
    for (int i = 0; i < pairs.length; i += 2) {
      assertTrue(pairs[i].contains(MARK), pairs[i]);
      String got = SqlSanitizer.message(pairs[i]);
      assertEquals(pairs[i + 1], got, pairs[i]);
      assertFalse(got.contains(MARK), got);
    }
  }

  @Test
  void messagesStayReadable() {
    assertEquals("Table ? doesn't exist", SqlSanitizer.message("Table 'db.t' doesn't exist"));
    assertEquals(
        "ORA-?: unique constraint (SCOTT.PK_EMP) violated",
        SqlSanitizer.message("ORA-00001: unique constraint (SCOTT.PK_EMP) violated"));
    assertEquals(
        "No suitable driver found for jdbc:postgresql://db:?/app",
        SqlSanitizer.message("No suitable driver found for jdbc:postgresql://db:5432/app"));
  }

  // --- property: a correctly written literal or comment never shows its body ------------------

  /** How a dialect writes a literal or comment holding {@code body}, or null if it cannot. */
  interface Form {
    String write(String body);
  }

  record Case(String system, String sql) {}

  private static String doubled(String body, char q) {
    String s = String.valueOf(q);
    return q + body.replace(s, s + s) + q;
  }

  private static String backslashed(String body, char q) {
    return q + body.replace("\\", "\\\\").replace(String.valueOf(q), "\\" + q) + q;
  }

  private static Form comment(String open, String close, String... forbidden) {
    return body -> {
      for (String f : forbidden) {
        if (body.contains(f)) {
          return null;
        }
      }
      return open + body + close;
    };
  }

  private static final Form STD = b -> doubled(b, '\'');
  // the space keeps a body starting with ! from being MySQL's executable comment
  private static final Form BLOCK = comment("/* ", " */", "*/", "/*");
  private static final Form DASH = comment("-- ", "\n", "\n", "\r");

  private static List<Form> forms(String system) {
    switch (system) {
      case "postgresql":
        return List.of(
            STD,
            BLOCK,
            DASH,
            b -> "E" + backslashed(b, '\''),
            b -> b.contains("$q$") ? null : "$q$" + b + "$q$",
            b -> b.contains("$") ? null : "$$" + b + "$$");
      case "h2":
        return List.of(
            STD,
            BLOCK,
            DASH,
            comment("//", "\n", "\n", "\r"),
            b -> b.contains("$") ? null : "$$" + b + "$$");
      case "mysql": // the default sql_mode: a doubled quote is fine, a plain backslash is not
        return List.of(
            b -> backslashed(b, '\''),
            b -> backslashed(b, '"'),
            b -> b.contains("\\") ? null : doubled(b, '\''),
            b -> b.contains("\\") ? null : doubled(b, '"'),
            BLOCK,
            DASH,
            comment("#", "\n", "\n"),
            b -> "/*!50000 " + backslashed(b, '\'') + " */");
      case "mysql-nbe": // NO_BACKSLASH_ESCAPES
        return List.of(
            STD,
            b -> doubled(b, '"'),
            BLOCK,
            DASH,
            comment("#", "\n", "\n"),
            b -> "/*!50000 " + doubled(b, '\'') + " */");
      case "oracle":
        return List.of(STD, BLOCK, DASH, comment("q'[", "]'", "]'"), comment("nq'!", "!'", "!'"));
      case "mssql":
        return List.of(STD, BLOCK, DASH, b -> "N" + doubled(b, '\''));
      case "hql":
        return List.of(
            STD,
            b -> backslashed(b, '"'),
            b -> "j" + backslashed(b, '\''),
            comment("/*", "*/", "*"));
      default:
        throw new AssertionError(system);
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<String> system =
        Arbitraries.of("postgresql", "h2", "mysql", "mysql-nbe", "oracle", "mssql", "hql");
    Arbitrary<String> noise =
        Arbitraries.strings().withChars("'\"\\`[]*/-#$!q{}() \n\rxE;").ofMaxLength(12);
    Arbitrary<String> code =
        Arbitraries.of(" = ", ", ", " || ", " and x = ", "(", ")", "\n", " from t where y in (");
    return Combinators.combine(
            system,
            noise.list().ofMinSize(1).ofMaxSize(4),
            code.list().ofSize(4),
            Arbitraries.integers().between(0, 1000))
        .as(
            (sys, bodies, codes, pick) -> {
              List<Form> forms = forms(sys);
              StringBuilder sql = new StringBuilder("select ");
              for (int i = 0; i < bodies.size(); i++) {
                String b = bodies.get(i);
                String body = b.substring(0, b.length() / 2) + MARK + b.substring(b.length() / 2);
                String lit = null;
                for (int f = 0; f < forms.size() && lit == null; f++) {
                  lit = forms.get((pick + i + f) % forms.size()).write(body);
                }
                sql.append(lit).append(codes.get(i));
              }
              return new Case(sys.equals("mysql-nbe") ? "mysql" : sys, sql.toString());
            });
  }

  @Property(tries = 3000)
  void aWrittenLiteralOrCommentNeverShowsItsBody(@ForAll("cases") Case c) {
    String own = SqlSanitizer.sanitize(c.sql(), c.system());
    assertFalse(own.contains(MARK), () -> c + " -> " + own);
    if (!c.system().equals("hql")) {
      String unknown = SqlSanitizer.sanitize(c.sql(), null);
      assertFalse(unknown.contains(MARK), () -> c + " -> (unknown) " + unknown);
    }
  }
}
