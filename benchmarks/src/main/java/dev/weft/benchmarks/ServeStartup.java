package dev.weft.benchmarks;

import dev.weft.testapp.demo.EmbeddedServers;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start-up as a user feels it (issue 13): one measured operation launches a fresh JVM running the
 * test app's queue API, {@code java ... weft-test-app.jar serve --port <free port>} (H2 in memory
 * for its management data, the default; no other service needed), and polls {@code GET /v2/ping}
 * with the JDK {@link HttpClient} every {@value #POLL_MS} ms until it is answered (204). The score
 * is the time from just before {@link ProcessBuilder#start()} to that answer: the child JVM's
 * start, the agent's (when there is one), the app's start (Hibernate's SessionFactory over H2,
 * Jetty) and the first request. The child is stopped (SIGTERM, then waited for) after each
 * operation, outside the measured time.
 *
 * <p>{@code variant}:
 *
 * <ul>
 *   <li>{@code noAgent} — {@code java -cp weft-test-app.jar dev.weft.testapp.Main serve}: no agent,
 *       no load-time weaving (the app's own code is compile-time woven, as shipped);
 *   <li>{@code jarAgent} — {@code java -jar weft-test-app.jar serve}, as the app ships: its {@code
 *       Launcher-Agent-Class} starts the agent it carries;
 *   <li>{@code agent} — {@code -javaagent:weft-agent.jar -jar weft-test-app.jar serve}, the shipped
 *       aop.xml fragments, with a {@code java.io.tmpdir} of the trial's own: the warm-up launch is
 *       the first start (it weaves and keeps the woven classes), the measured ones start again;
 *   <li>{@code agentFirstStart} — {@code agent} with an empty {@code java.io.tmpdir} in every
 *       launch: each one is a first start (a new container, say): it unpacks the integrations,
 *       weaves and keeps;
 *   <li>{@code agentPrepared} — {@code agentFirstStart} after {@code -Dweft.agent.prepare=true} has
 *       woven ahead into that empty directory (outside the measured time): the first start of a
 *       container whose image was prepared while it was built;
 *   <li>{@code agentNoCache} — {@code agent} with {@code -Dweft.agent.cache=false}: the weaver
 *       weaves at every start, nothing is kept;
 *   <li>{@code weaverNoAspects} — the agent, with the weaver's configuration replaced by an aop.xml
 *       without aspects ({@code org.aspectj.weaver.loadtime.configuration}): the agent and the
 *       weaver start, nothing is woven (a floor for load-time weaving, not a usable setting);
 *   <li>{@code narrowIncludes} — the agent, with the shipped fragments but Hibernate's two package
 *       includes replaced by the classes that hold its JDBC call sites;
 *   <li>{@code typeDemotion} — the agent, plus {@code <weaver options="-Xset:typeDemotion=true"/>};
 *   <li>{@code cacheShared} — {@code agentNoCache}, with AspectJ's weaving cache ({@code
 *       aj.weaving.cache.enabled=true}, {@code aj.weaving.cache.impl=shared}) in a directory the
 *       warm-up operation fills (the default per-loader cache, {@code impl} unset, fails on its
 *       second run: the woven classes refer to closure classes it does not define, AspectJ issue
 *       #314);
 *   <li>{@code skipLoaders} — {@code agentNoCache}, with {@code aj.weaving.loadersToSkip} naming
 *       the two class loaders that get a weaver of their own in this app and have nothing to weave
 *       (ByteBuddy's dispatcher loader, the JDK's {@code MethodUtil});
 *   <li>{@code ctwWoven} — no agent: {@code java -cp weft-test-app-woven.jar ...}, the drivers
 *       woven at build time ({@code benchmarks/weave-test-app.sh}: ajc {@code -inpath}, as {@code
 *       weaveDependencies} does, over the classes the aop.xml fragments include).
 * </ul>
 *
 * <p>Paths, relative to the repository root (run from there) unless given as system properties of
 * the fork ({@code -jvmArgsAppend -Dweft.startup.app=...}): {@code weft.startup.app}
 * (test-app/target/weft-test-app.jar), {@code weft.startup.agent} (test-app/target/weft-agent.jar,
 * the test-app build's copy of weaving-config's agent jar), {@code weft.startup.woven}
 * (test-app/target/weft-test-app-woven.jar), {@code weft.startup.aspects} (aspects, for the
 * fragments {@code narrowIncludes} reads). Each child's output goes to {@code
 * weft-serve-startup.log} in {@code java.io.tmpdir}; a child that exits or does not answer within
 * 60 s fails the operation with that log's tail.
 *
 * <p>Run from the repository root: {@code java -jar benchmarks/target/benchmarks.jar ServeStartup}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 20)
@Fork(1)
public class ServeStartup {
  static final int POLL_MS = 10;

  /** Replaced, in each launch, by a {@code java.io.tmpdir} of its own (a first start). */
  static final String FRESH_TMP = "-Djava.io.tmpdir=<fresh>";

  /** The agent without its woven-class store: the weaver weaves at every start. */
  static final String NO_CACHE = "-Dweft.agent.cache=false";

  /** The command of each variant, the files it needs, and the child of the current operation. */
  @State(Scope.Benchmark)
  public static class Launch {
    @Param({
      "noAgent",
      "jarAgent",
      "agent",
      "agentFirstStart",
      "agentPrepared",
      "agentNoCache",
      "weaverNoAspects",
      "narrowIncludes",
      "typeDemotion",
      "cacheShared",
      "skipLoaders",
      "ctwWoven"
    })
    public String variant;

    List<String> command;
    Path work;
    File log;
    HttpClient http;
    Process child;
    int port;
    Path fresh;

    @Setup(Level.Trial)
    public void prepare() throws Exception {
      String app = path("weft.startup.app", "test-app/target/weft-test-app.jar");
      String agent = "-javaagent:" + path("weft.startup.agent", "test-app/target/weft-agent.jar");
      String aspects = path("weft.startup.aspects", "aspects");
      work = Files.createTempDirectory("weft-serve-startup");
      log = new File(System.getProperty("java.io.tmpdir"), "weft-serve-startup.log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> c = new ArrayList<>(List.of(java));
      String config = "-Dorg.aspectj.weaver.loadtime.configuration=";
      switch (variant) {
        case "noAgent" -> c.addAll(List.of("-cp", app, "dev.weft.testapp.Main"));
        case "jarAgent" -> c.addAll(List.of("-jar", app));
        case "agent" ->
            c.addAll(
                List.of(
                    agent,
                    "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")),
                    "-jar",
                    app));
        case "agentFirstStart" -> c.addAll(List.of(agent, FRESH_TMP, "-jar", app));
        case "agentPrepared" -> c.addAll(List.of(agent, FRESH_TMP, "-jar", app));
        case "agentNoCache" -> c.addAll(List.of(agent, NO_CACHE, "-jar", app));
        case "weaverNoAspects" ->
            c.addAll(
                List.of(
                    agent,
                    config + "file:" + write("empty-aop.xml", "<aspectj><weaver/></aspectj>"),
                    "-jar",
                    app));
        case "narrowIncludes" -> {
          StringBuilder files = new StringBuilder();
          for (String i :
              List.of("servlet", "hikaricp", "commons-pool2", "jedis", "mongodb", "hibernate")) {
            Path f = Path.of(aspects, i, "src/main/resources/META-INF/aop.xml").toAbsolutePath();
            if (i.equals("hibernate")) {
              f = write("hibernate-narrow.xml", narrowHibernate(Files.readString(f)));
            }
            files.append(files.length() == 0 ? "" : ";").append("file:").append(f);
          }
          c.addAll(List.of(agent, config + files, "-jar", app));
        }
        case "typeDemotion" ->
            c.addAll(
                List.of(
                    agent,
                    config
                        + "META-INF/aop.xml;file:"
                        + write(
                            "type-demotion.xml",
                            "<aspectj><weaver options=\"-Xset:typeDemotion=true\"/></aspectj>"),
                    "-jar",
                    app));
        case "cacheShared" ->
            c.addAll(
                List.of(
                    agent,
                    NO_CACHE,
                    "-Daj.weaving.cache.enabled=true",
                    "-Daj.weaving.cache.impl=shared",
                    "-Daj.weaving.cache.dir=" + work.resolve("cache"),
                    "-jar",
                    app));
        case "skipLoaders" ->
            c.addAll(
                List.of(
                    agent,
                    NO_CACHE,
                    "-Daj.weaving.loadersToSkip="
                        + "net.bytebuddy.utility.dispatcher.JavaDispatcher$DynamicClassLoader,"
                        + "sun.reflect.misc.MethodUtil",
                    "-jar",
                    app));
        case "ctwWoven" -> {
          String woven = path("weft.startup.woven", "test-app/target/weft-test-app-woven.jar");
          if (!new File(woven).isFile()) {
            throw new IllegalStateException(
                woven + " is missing: run benchmarks/weave-test-app.sh from the repository root");
          }
          c.addAll(List.of("-cp", woven, "dev.weft.testapp.Main"));
        }
        default -> throw new IllegalArgumentException(variant);
      }
      c.addAll(List.of("serve", "--port"));
      command = c;
      System.out.println("\ncommand: " + String.join(" ", c) + " <port>");
      http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
      // Loads the client's classes in this JVM before the first measured launch.
      try {
        ping(EmbeddedServers.freePort());
      } catch (IOException expected) {
        // nothing listens there
      }
    }

    /** A path given as a system property, else the default (relative to the repository root). */
    private static String path(String property, String fallback) {
      String p = System.getProperty(property, fallback);
      if (!new File(p).exists()) {
        throw new IllegalStateException(
            p + " does not exist: run from the repository root, or set -D" + property);
      }
      return new File(p).getAbsolutePath();
    }

    private Path write(String name, String content) throws IOException {
      return Files.writeString(work.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** Hibernate's fragment with its two package includes narrowed to the JDBC call sites. */
    static String narrowHibernate(String fragment) {
      String narrowed =
          fragment
              .replace(
                  "<include within=\"org.hibernate.engine.jdbc.internal..*\"/>",
                  "<include within=\"org.hibernate.engine.jdbc.internal.ResultSetReturnImpl\"/>"
                      + "<include within=\"org.hibernate.engine.jdbc.internal"
                      + ".StatementPreparerImpl$*\"/>"
                      + "<include within=\"org.hibernate.engine.jdbc.internal"
                      + ".MutationStatementPreparerImpl$*\"/>")
              .replace(
                  "<include within=\"org.hibernate.engine.jdbc.batch.internal..*\"/>",
                  "<include within=\"org.hibernate.engine.jdbc.batch.internal.BatchImpl\"/>");
      if (narrowed.contains("..*")) {
        throw new IllegalStateException("hibernate's aop.xml changed: " + fragment);
      }
      return narrowed;
    }

    int ping(int port) throws IOException, InterruptedException {
      HttpRequest r =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/ping"))
              .timeout(Duration.ofSeconds(5))
              .GET()
              .build();
      return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** An empty directory for this launch's {@link #FRESH_TMP}, made outside the measured time. */
    @Setup(Level.Invocation)
    public void freshDirectory() throws IOException, InterruptedException {
      fresh = Files.createTempDirectory(work, "first-start");
      if (variant.equals("agentPrepared")) {
        // The launch's own command with the property: it weaves ahead and ends before main.
        List<String> c = new ArrayList<>(command);
        c.replaceAll(a -> a.equals(FRESH_TMP) ? "-Djava.io.tmpdir=" + fresh : a);
        c.add(1, "-Dweft.agent.prepare=true");
        Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(log).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
          p.destroyForcibly();
          throw new IllegalStateException("weft.agent.prepare failed: " + tail(log));
        }
      }
    }

    @TearDown(Level.Invocation)
    public void stopChild() throws Exception {
      if (child != null) {
        child.destroy();
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
          child.destroyForcibly().waitFor();
        }
        child = null;
      }
    }
  }

  /** Launches the child and returns once {@code GET /v2/ping} is answered. */
  @Benchmark
  public int serveToFirstAnswer(Launch l) throws Exception {
    l.port = EmbeddedServers.freePort();
    List<String> c = new ArrayList<>(l.command);
    c.replaceAll(a -> a.equals(FRESH_TMP) ? "-Djava.io.tmpdir=" + l.fresh : a);
    c.add(Integer.toString(l.port));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    l.child = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(l.log).start();
    while (true) {
      try {
        int status = l.ping(l.port);
        if (status == 204) {
          return status;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (!l.child.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "serve did not answer ("
                + (l.child.isAlive() ? "timeout" : "exited")
                + "): "
                + tail(l.log));
      }
      Thread.sleep(POLL_MS);
    }
  }

  private static String tail(File log) {
    try {
      String s = Files.readString(log.toPath());
      return s.substring(Math.max(0, s.length() - 2000));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
