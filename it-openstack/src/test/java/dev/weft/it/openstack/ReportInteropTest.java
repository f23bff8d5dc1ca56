package dev.weft.it.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Span;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.cli.Main;
import dev.weft.testing.EmbeddedServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;
import redis.clients.jedis.Jedis;

/**
 * Both command lines read the same stores alike: traces written by the real OSProfiler (its
 * profiler and its Redis and MongoDB drivers), by Weft, and by both into one trace, shown by {@code
 * weft trace show --json} and by OSProfiler's own {@code osprofiler trace show --json}
 * byte-identically, and listed ({@code trace list}, {@code --error-trace}) with the same ids and
 * timestamps. Redis is embedded-redis's redis-server, MongoDB is mongo-java-server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportInteropTest {
  static final Pattern TABLE_ROW = Pattern.compile("^\\| (\\S+) +\\| (\\S+) +\\|$");

  @BeforeAll
  void needsOsprofiler() throws Exception {
    String why = Osprofiler.unavailable();
    assumeTrue(why == null, "OSProfiler interop skipped: " + why);
    Process p =
        new ProcessBuilder(Osprofiler.PYTHON, "-c", "import redis, pymongo, prettytable")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assumeTrue(
        p.waitFor() == 0,
        "OSProfiler report interop skipped: python3-redis and python3-pymongo missing: " + out);
    Weft.set("weft.enabled", "true");
    Weft.set("weft.service", "weft-java");
    Weft.set("weft.host", "node-java");
    Weft.set("weft.filter_error_trace", "true");
  }

  @AfterAll
  void reset() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.service", null);
    Weft.set("weft.host", null);
    Weft.set("weft.filter_error_trace", null);
  }

  /** OSProfiler's own command line, run with Debian's python; its stdout. */
  static String osprofiler(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(Osprofiler.PYTHON, Osprofiler.script("osprofiler_cli.py").toString()));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("osprofiler-cli", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
      pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("osprofiler %s: %s", args, Files.readString(err)).isZero();
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** Weft's command line, in process; its stdout. */
  static String weft(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    assertThat(code).as("weft %s: %s", List.of(args), err).isZero();
    return out.toString();
  }

  /** A trace written by OSProfiler's profiler and notifier; returns the ids it printed. */
  static String writeWithOsprofiler(String cs, String base, String parent, String service)
      throws Exception {
    return Osprofiler.run("osprofiler_write.py", "", cs, base, parent, service).toString();
  }

  /** {base_id, timestamp} rows of {@code osprofiler trace list}'s table, sorted. */
  static List<String> osprofilerList(String cs, boolean errors) throws Exception {
    List<String> rows = new ArrayList<>();
    String out =
        errors
            ? osprofiler("trace", "list", "--connection-string", cs, "--error-trace", "True")
            : osprofiler("trace", "list", "--connection-string", cs);
    for (String line : out.split("\n")) {
      Matcher m = TABLE_ROW.matcher(line.strip());
      if (m.matches() && !m.group(1).equals("base_id")) {
        rows.add(m.group(1) + " " + m.group(2));
      }
    }
    rows.sort(null);
    return rows;
  }

  /** The same rows from {@code weft trace list}, sorted. */
  static List<String> weftList(String cs, boolean errors) {
    List<String> rows = new ArrayList<>();
    String out =
        errors
            ? weft("trace", "list", "--connection-string", cs, "--error-trace", "True")
            : weft("trace", "list", "--connection-string", cs);
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        String[] f = line.trim().split("\\s+");
        rows.add(f[0] + " " + f[1]);
      }
    }
    rows.sort(null);
    return rows;
  }

  private static void assertBothToolsAgree(String cs, String base) throws Exception {
    String theirs = osprofiler("trace", "show", "--connection-string", cs, "--json", base);
    String ours = weft("trace", "show", "--connection-string", cs, "--json", base);
    assertThat(theirs).contains("\"name\": \"total\"");
    assertThat(ours.getBytes(StandardCharsets.UTF_8))
        .as("weft trace show --json %s, byte for byte", base)
        .isEqualTo(theirs.getBytes(StandardCharsets.UTF_8));
    assertThat(weftList(cs, false)).isEqualTo(osprofilerList(cs, false)).isNotEmpty();
    assertThat(weftList(cs, true)).isEqualTo(osprofilerList(cs, true)).isNotEmpty();
  }

  private static String redis(int db) {
    int port = EmbeddedServers.redisPort();
    try (Jedis j = new Jedis("127.0.0.1", port)) {
      j.select(db);
      j.flushDB();
    }
    return "redis://127.0.0.1:" + port + "/" + db;
  }

  /** A Weft trace through the real pipeline into {@code cs}, an error in it. */
  private static String weftSpans(String cs, String base, String parent) {
    Weft.set("weft.connection_string", cs);
    String spanId;
    try (TraceScope t = Trace.begin(base, parent, null)) {
      try (Span root = Trace.span("checkout")) {
        spanId = root.id();
        root.info("order", "o-17");
        try (Span s = Trace.span("reserve")) {
          s.info("sku", "tea");
        }
        try (Span s = Trace.span("charge")) {
          s.error(new IllegalStateException("card declined"));
        }
      }
    }
    assertThat(Weft.flush()).isTrue();
    return spanId;
  }

  @Test
  void osprofilerTraceInRedis_weftShowsAndListsItByteForByte() throws Exception {
    String cs = redis(3);
    String base = UUID.randomUUID().toString();
    writeWithOsprofiler(cs, base, base, "zaqar-py");
    writeWithOsprofiler(cs, UUID.randomUUID().toString(), base, "zaqar-py"); // a second trace
    assertBothToolsAgree(cs, base);
  }

  @Test
  void oneTraceWrittenByWeftAndByOsprofiler_inOneRedis_isOneReportInBothTools() throws Exception {
    String cs = redis(4);
    String base = UUID.randomUUID().toString();
    String weftSpan = weftSpans(cs, base, base);
    // the Python service called from inside Weft's root span: its wsgi span is a child of it
    writeWithOsprofiler(cs, base, weftSpan, "zaqar-py");
    String ours = weft("trace", "show", "--connection-string", cs, "--json", base);
    assertThat(ours).contains("\"service\": \"weft-java\"").contains("\"service\": \"zaqar-py\"");
    assertBothToolsAgree(cs, base);
  }

  @Test
  void osprofilerTraceInMongo_andWeftTraceInMongo_readAlikeByBothTools() throws Exception {
    String cs = "mongodb://" + EmbeddedServers.mongoAddress();
    String pyBase = UUID.randomUUID().toString();
    writeWithOsprofiler(cs, pyBase, pyBase, "zaqar-py");
    assertBothToolsAgree(cs, pyBase);

    String weftBase = UUID.randomUUID().toString();
    weftSpans(cs, weftBase, weftBase);
    assertBothToolsAgree(cs, weftBase);
  }
}
