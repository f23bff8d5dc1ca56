package dev.weft.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.weft.spi.Collector;
import dev.weft.spi.Event;
import dev.weft.spi.TraceReader;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The TLS collectors verify the server: a certificate signed by a trusted CA but issued for another
 * host ({@code evil.example}) is refused and nothing is stored; the right certificate stores; the
 * documented opt-outs turn host-name verification off. Certificates are made with {@code openssl};
 * Redis is Debian's {@code redis-server} with its own TLS, MongoDB is mongo-java-server behind a
 * TLS terminator, OTLP an HTTPS endpoint. Skipped (visibly) where {@code openssl} or a TLS-capable
 * {@code redis-server} is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsVerificationTest {
  static final String REDIS_SERVER = "/usr/bin/redis-server";

  Path dir;
  String ca;
  final List<AutoCloseable> servers = new ArrayList<>();

  @BeforeAll
  void certificates() throws Exception {
    assumeTrue(
        new File("/usr/bin/openssl").canExecute(), "openssl missing: TLS verification skipped");
    dev.weft.Weft.set("weft.enabled", "true");
    dev.weft.Weft.set("weft.connection_string", "memory://");
    dir = Files.createTempDirectory("weft-tls");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=weft test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    server("right", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    server("evil", "subjectAltName=DNS:evil.example");
    ca = dir.resolve("ca.pem").toString();
  }

  private void server(String name, String san) throws Exception {
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + name,
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr");
    Files.writeString(dir.resolve(name + ".ext"), san + "\n");
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        name + ".ext",
        "-out",
        name + ".pem");
    openssl(
        "pkcs12",
        "-export",
        "-in",
        name + ".pem",
        "-inkey",
        name + ".key",
        "-passout",
        "pass:changeit",
        "-out",
        name + ".p12");
  }

  private void openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("openssl %s: %s", String.join(" ", args), out).isZero();
  }

  private SSLContext serverContext(String name) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable s : servers) {
      s.close();
    }
  }

  // ---- Redis ----

  private int tlsRedis(String name) throws Exception {
    int port = TestSupport.freePort();
    Process p =
        new ProcessBuilder(
                REDIS_SERVER,
                "--port",
                "0",
                "--tls-port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--tls-auth-clients",
                "no",
                "--tls-cert-file",
                dir.resolve(name + ".pem").toString(),
                "--tls-key-file",
                dir.resolve(name + ".key").toString(),
                "--tls-ca-cert-file",
                ca)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis-" + name + ".log").toFile())
            .start();
    servers.add(
        () -> {
          p.destroy();
          p.waitFor(5, TimeUnit.SECONDS);
        });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && p.isAlive()) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return port;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    String log = Files.readString(dir.resolve("redis-" + name + ".log"));
    assumeTrue(false, "redis-server without TLS support: " + log.strip());
    return -1;
  }

  private boolean redisAvailable() {
    return new File(REDIS_SERVER).canExecute();
  }

  @Test
  void rediss_wrongHostCertificate_isRefused_andNothingIsStored() throws Exception {
    assumeTrue(redisAvailable(), REDIS_SERVER + " missing: rediss:// verification skipped");
    int port = tlsRedis("evil");
    String cs = "rediss://127.0.0.1:" + port + "?ssl_ca_certs=" + ca;
    List<Event> trace = TestSupport.weftTrace();
    Collector c = new WeftCollectorFactory().collector(cs, Map.of());
    try {
      assertThatThrownBy(() -> c.store(trace))
          .hasStackTraceContaining(
              "No subject alternative names matching IP address 127.0.0.1 found");
    } finally {
      c.close();
    }
    // the same server, read with host-name verification explicitly off: nothing was stored
    String off = cs + "&ssl_check_hostname=false";
    TraceReader r = new WeftCollectorFactory().reader(off);
    try {
      assertThat(r.list(false)).isEmpty();
    } finally {
      r.close();
    }
  }

  @Test
  void rediss_rightCertificate_stores_andTheReaderVerifiesToo() throws Exception {
    assumeTrue(redisAvailable(), REDIS_SERVER + " missing: rediss:// verification skipped");
    int port = tlsRedis("right");
    String cs = "rediss://127.0.0.1:" + port + "?ssl_ca_certs=" + ca;
    List<Event> trace = TestSupport.weftTrace();
    Collector c = new WeftCollectorFactory().collector(cs, Map.of());
    try {
      c.store(trace);
    } finally {
      c.close();
    }
    TraceReader r = new WeftCollectorFactory().reader(cs);
    try {
      assertThat(r.events(trace.get(0).baseId())).hasSize(trace.size());
    } finally {
      r.close();
    }
  }

  @Test
  void rediss_withoutTheCa_isRefused_andCertReqsNoneIsNotOffered() throws Exception {
    assumeTrue(redisAvailable(), REDIS_SERVER + " missing: rediss:// verification skipped");
    int port = tlsRedis("right");
    List<Event> trace = TestSupport.weftTrace();
    Collector c = new WeftCollectorFactory().collector("rediss://127.0.0.1:" + port, Map.of());
    try {
      assertThatThrownBy(() -> c.store(trace))
          .hasStackTraceContaining("unable to find valid certification path");
    } finally {
      c.close();
    }
    assertThatThrownBy(
            () ->
                new WeftCollectorFactory()
                    .collector("rediss://127.0.0.1:" + port + "?ssl_cert_reqs=none", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ssl_cert_reqs=none is not supported: Weft always verifies the server's certificate"
                + " (trust it with ssl_ca_certs=FILE): rediss://127.0.0.1:"
                + port
                + "?ssl_cert_reqs=none");
  }

  // ---- MongoDB ----

  /** A TLS terminator with the named certificate in front of an in-memory MongoDB server. */
  private int tlsMongo(String name) throws Exception {
    MongoServer mongo = new MongoServer(new MemoryBackend());
    int plainPort = TestSupport.freePort();
    mongo.bind("127.0.0.1", plainPort);
    servers.add(mongo::shutdownNow);
    SSLServerSocket tls =
        (SSLServerSocket)
            serverContext(name).getServerSocketFactory().createServerSocket(0, 50, null);
    servers.add(tls);
    Thread accept =
        new Thread(
            () -> {
              while (!tls.isClosed()) {
                try {
                  Socket client = tls.accept();
                  Socket backend = new Socket("127.0.0.1", plainPort);
                  pump(client, backend);
                  pump(backend, client);
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "tls-terminator");
    accept.setDaemon(true);
    accept.start();
    return tls.getLocalPort();
  }

  private static void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException ignored) {
                // one side closed
              } finally {
                try {
                  from.close();
                  to.close();
                } catch (IOException ignored) {
                  // closing
                }
              }
            },
            "tls-pump");
    t.setDaemon(true);
    t.start();
  }

  @Test
  void mongodbTls_wrongHostCertificate_isRefused_rightOneStores_optOutDocumented()
      throws Exception {
    List<Event> trace = TestSupport.weftTrace();
    int evil = tlsMongo("evil");
    Collector refused =
        new WeftCollectorFactory()
            .collector("mongodb://127.0.0.1:" + evil + "/?tls=true&tlsCAFile=" + ca, Map.of());
    try {
      assertThatThrownBy(() -> refused.store(trace))
          .hasStackTraceContaining(
              "No subject alternative names matching IP address 127.0.0.1 found");
    } finally {
      refused.close();
    }
    TraceReader optOut =
        new WeftCollectorFactory()
            .reader(
                "mongodb://127.0.0.1:"
                    + evil
                    + "/?tls=true&tlsAllowInvalidHostnames=true&tlsCAFile="
                    + ca);
    try {
      assertThat(optOut.list(false)).isEmpty();
    } finally {
      optOut.close();
    }

    int right = tlsMongo("right");
    String cs = "mongodb://127.0.0.1:" + right + "/?tls=true&tlsCAFile=" + ca;
    Collector c = new WeftCollectorFactory().collector(cs, Map.of());
    try {
      c.store(trace);
    } finally {
      c.close();
    }
    TraceReader r = new WeftCollectorFactory().reader(cs);
    try {
      assertThat(r.events(trace.get(0).baseId())).hasSize(trace.size());
    } finally {
      r.close();
    }
  }

  // ---- OTLP over HTTPS ----

  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<Integer> spansReceived = new CopyOnWriteArrayList<>();

  private int https(String name) throws Exception {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext(name)));
    server.createContext(
        "/v1/traces",
        ex -> {
          try (InputStream in = ex.getRequestBody()) {
            ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
            authorizations.add(
                ex.getRequestHeaders().getFirst("Authorization")
                    + " | "
                    + ex.getRequestHeaders().getFirst("X-Api-Key"));
            spansReceived.add(req.getResourceSpans(0).getScopeSpans(0).getSpansCount());
            byte[] reply = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, reply.length == 0 ? -1 : reply.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(reply);
            }
          }
        });
    server.start();
    servers.add(() -> server.stop(0));
    return server.getAddress().getPort();
  }

  @Test
  void otlps_verifiesTheHost_andSendsTheConfiguredHeaders() throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("weft.otlp.certificate", ca);
    settings.put("weft.otlp.headers", "Authorization=Bearer%20t0ken,x-api-key=k%3D1");
    List<Event> trace = TestSupport.weftTrace();

    int evil = https("evil");
    Collector refused = new WeftCollectorFactory().collector("otlps://127.0.0.1:" + evil, settings);
    try {
      assertThatThrownBy(() -> refused.store(trace)).isInstanceOf(IOException.class);
    } finally {
      refused.close();
    }
    assertThat(authorizations).isEmpty();

    int right = https("right");
    Collector c = new WeftCollectorFactory().collector("otlps://127.0.0.1:" + right, settings);
    try {
      c.store(trace);
    } finally {
      c.close();
    }
    assertThat(authorizations).containsExactly("Bearer t0ken | k=1");
    assertThat(spansReceived).containsExactly(3);
  }

  // ---- Zipkin over HTTPS ----

  private int httpsZipkin(String name) throws Exception {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext(name)));
    server.createContext(
        "/api/v2/spans",
        ex -> {
          try (InputStream in = ex.getRequestBody()) {
            InputStream body =
                "gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new java.util.zip.GZIPInputStream(in)
                    : in;
            zipkinAuthorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
            zipkinSpans.add(TestSupport.MAPPER.readTree(body.readAllBytes()).size());
            ex.sendResponseHeaders(202, -1);
          }
        });
    server.start();
    servers.add(() -> server.stop(0));
    return server.getAddress().getPort();
  }

  private final List<String> zipkinAuthorizations = new CopyOnWriteArrayList<>();
  private final List<Integer> zipkinSpans = new CopyOnWriteArrayList<>();

  @Test
  void zipkins_verifiesTheHost_andSendsTheConfiguredHeaders() throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("weft.zipkin.certificate", ca);
    settings.put("weft.zipkin.headers", "Authorization=Bearer%20z1pk1n");
    List<Event> trace = TestSupport.weftTrace();

    int evil = httpsZipkin("evil");
    Collector refused =
        new WeftCollectorFactory().collector("zipkins://127.0.0.1:" + evil, settings);
    try {
      assertThatThrownBy(() -> refused.store(trace))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("failed: javax.net.ssl.SSLPeerUnverifiedException");
    } finally {
      refused.close();
    }
    assertThat(zipkinAuthorizations).isEmpty();

    // Without the CA, the JVM's trust store does not know the test CA: refused too.
    int right = httpsZipkin("right");
    Collector untrusted =
        new WeftCollectorFactory()
            .collector(
                "zipkins://127.0.0.1:" + right,
                Map.of("weft.zipkin.headers", "Authorization=Bearer%20z1pk1n"));
    try {
      assertThatThrownBy(() -> untrusted.store(trace)).isInstanceOf(IOException.class);
    } finally {
      untrusted.close();
    }
    assertThat(zipkinAuthorizations).isEmpty();

    Collector c = new WeftCollectorFactory().collector("zipkins://127.0.0.1:" + right, settings);
    try {
      c.store(trace);
    } finally {
      c.close();
    }
    assertThat(zipkinAuthorizations).containsExactly("Bearer z1pk1n");
    assertThat(zipkinSpans).containsExactly(3);
  }

  @Test
  void otlpHeaders_badPairs_areRefusedWithoutShowingValues() {
    Map<String, String> settings = Map.of("weft.otlp.headers", "Authorization=Bearer%20x,secret");
    assertThatThrownBy(
            () -> new WeftCollectorFactory().collector("otlps://127.0.0.1:4318", settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weft.otlp.headers: pair 2 is not name=value (values are not shown)");
  }

  @Test
  void otlps_defaultsToPort443_andHttps() {
    assertThat(dev.weft.collectors.internal.OtlpExporter.endpoint("otlps://traces.example.com"))
        .isEqualTo("https://traces.example.com:443/v1/traces");
    assertThat(dev.weft.collectors.internal.OtlpExporter.endpoint("otlp://127.0.0.1"))
        .isEqualTo("http://127.0.0.1:4318/v1/traces");
  }
}
