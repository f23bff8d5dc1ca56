package dev.weft.testapp;

import dev.weft.Weft;
import dev.weft.testapp.api.ApiService;
import dev.weft.testapp.client.ClientCommand;
import dev.weft.testapp.demo.Demo;
import dev.weft.testapp.management.ManagementStore;
import dev.weft.testapp.subscriber.SubscriberService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -javaagent:target/aspectjweaver.jar -jar target/weft-test-app.jar <command>}: {@code
 * serve}, {@code subscriber}, {@code client}, {@code demo}.
 */
@Command(
    name = "weft-test-app",
    mixinStandardHelpOptions = true,
    description = "A Zaqar-like queue service traced with Weft.",
    subcommands = {
      Main.Serve.class,
      Main.Subscriber.class,
      ClientCommand.class,
      Main.DemoCommand.class,
      Main.SoakCommand.class
    })
public final class Main implements Runnable {
  static {
    // Hibernate logs through slf4j (configured in simplelogger.properties) rather than JUL.
    if (System.getProperty("org.jboss.logging.provider") == null) {
      System.setProperty("org.jboss.logging.provider", "slf4j");
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** {@code serve}: the queue API service. */
  @Command(name = "serve", mixinStandardHelpOptions = true, description = "Runs the queue API.")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8888", description = "Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
        names = "--bind",
        defaultValue = "127.0.0.1",
        description = "Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(
        names = "--db",
        defaultValue = ManagementStore.DEFAULT_URL,
        description = "Management database JDBC URL (H2 or PostgreSQL). Default: ${DEFAULT-VALUE}.")
    String db;

    @Option(
        names = "--catalog-ttl-ms",
        defaultValue = "5000",
        description = "How long a catalog lookup is cached. Default: ${DEFAULT-VALUE}.")
    long catalogTtlMillis;

    @Option(
        names = "--service",
        description =
            "The service name of this service's spans (the servlet context's weft.service"
                + " init parameter). Default: the process-wide weft.service.")
    String service;

    @Option(
        names = "--strict-headers",
        description =
            "Require a Client-ID and an X-Project-ID on every request, as Zaqar does. Default:"
                + " requests without them are served as an anonymous client's.")
    boolean strictHeaders;

    @Option(
        names = "--signed-url-key",
        paramLabel = "SECRET",
        description =
            "The secret of pre-signed URLs (POST /v2/queues/{q}/share; Zaqar's [signed_url]"
                + " secret_key). Default: none, sharing is refused as Zaqar refuses it.")
    String signedUrlKey;

    @Override
    public Integer call() throws Exception {
      System.err.println(WeftSetup.init("queue-api"));
      ApiService api =
          ApiService.start(
              ApiService.Settings.defaults()
                  .bind(bind)
                  .port(port)
                  .managementUrl(db)
                  .catalogTtl(Duration.ofMillis(catalogTtlMillis))
                  .service(service)
                  .strictHeaders(strictHeaders)
                  .signedUrlKey(signedUrlKey));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(api), "queue-api-stop"));
      System.err.println("queue-api listening on " + api.baseUri());
      api.join();
      return 0;
    }
  }

  /** {@code subscriber}: the webhook subscriber service. */
  @Command(
      name = "subscriber",
      mixinStandardHelpOptions = true,
      description = "Runs the webhook subscriber (POST/GET /notifications).")
  static final class Subscriber implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8889", description = "Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
        names = "--bind",
        defaultValue = "127.0.0.1",
        description = "Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(
        names = "--service",
        description =
            "The service name of this service's spans (the servlet context's weft.service"
                + " init parameter). Default: the process-wide weft.service.")
    String service;

    @Override
    public Integer call() throws Exception {
      System.err.println(WeftSetup.init("subscriber"));
      SubscriberService s = SubscriberService.start(bind, port, service);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(s), "subscriber-stop"));
      System.err.println("subscriber listening on " + s.webhookUrl());
      s.join();
      return 0;
    }
  }

  /** {@code demo}: everything in one command. */
  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description =
          "Starts redis-server, a MongoDB-protocol server, H2, the queue API and the subscriber,"
              + " runs a profiled client session and prints each trace as a tree.")
  static final class DemoCommand implements Callable<Integer> {
    @Option(
        names = "--traces",
        defaultValue = "weft-demo-traces",
        description = "Where the traces are stored (file://). Default: ./${DEFAULT-VALUE}.")
    Path traces;

    @Option(
        names = "--also-zipkin",
        paramLabel = "zipkin://HOST:PORT",
        description =
            "After the run, also send every trace to Zipkin through the zipkin:// collector, e.g."
                + " zipkin://127.0.0.1:9411; open it at http://HOST:PORT/zipkin/.")
    String alsoZipkin;

    @Override
    public Integer call() throws Exception {
      return new Demo(traces, System.out).alsoZipkin(alsoZipkin).run();
    }
  }

  /** {@code soak}: faults under load (see {@link dev.weft.testapp.soak.Soak}). */
  @Command(
      name = "soak",
      mixinStandardHelpOptions = true,
      description =
          "Runs the queue API at a steady request rate, signed and unsigned requests mixed (some"
              + " with 1,605-character base ids), while the trace collector is killed, made slow,"
              + " black-holed and switched to a full disk, and an application Redis pool fails;"
              + " then SIGTERMs the API in a JVM of its own under load, with a healthy and with a"
              + " black-holed collector; checks answers, heap, trace integrity, recovery and"
              + " Weft's counters.")
  static final class SoakCommand implements Callable<Integer> {
    @Option(
        names = "--seconds",
        defaultValue = "60",
        description = "Run time. Default ${DEFAULT-VALUE}.")
    int seconds;

    @Option(
        names = "--rate",
        defaultValue = "40",
        description = "Requests per second. Default ${DEFAULT-VALUE}.")
    int rate;

    @Option(
        names = "--queue-capacity",
        defaultValue = "64",
        description =
            "weft.queue.capacity for the run (small, so that a slow collector fills it). Default"
                + " ${DEFAULT-VALUE}.")
    int queueCapacity;

    @Option(
        names = "--max-traces-per-second",
        defaultValue = "15",
        description = "weft.max_traces_per_second for the run. Default ${DEFAULT-VALUE}.")
    int maxTraces;

    @Option(
        names = "--heap-bound-mb",
        defaultValue = "256",
        description = "Largest heap after GC allowed, in MB. Default ${DEFAULT-VALUE}.")
    long heapBoundMb;

    @Override
    public Integer call() throws Exception {
      return new dev.weft.testapp.soak.Soak(
              new dev.weft.testapp.soak.Soak.Settings(
                  seconds, rate, queueCapacity, maxTraces, heapBoundMb),
              System.out)
          .run();
    }
  }

  private static void stop(AutoCloseable service) {
    try {
      service.close();
    } catch (Exception e) {
      System.err.println("stopping: " + e);
    }
    Weft.flush();
  }
}
