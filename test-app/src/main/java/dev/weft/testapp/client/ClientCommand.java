package dev.weft.testapp.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weft.Profile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code client [--url U] [--profile KEY [--trace-categories sql,redis]] <command> ...}: one
 * sub-command per API operation. With {@code --profile KEY} the command runs as the root of a new
 * trace, its requests are signed with KEY, and the trace id is printed on stderr with the command
 * that displays it. {@code --trace-categories} makes that trace a deep one: those categories are
 * recorded for it in every service it reaches, even where they are switched off.
 */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    description = "Calls the queue API. Prints the JSON response; exits 1 on an HTTP error.")
public final class ClientCommand {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8888",
      description = "The queue API (default: ${DEFAULT-VALUE}).")
  URI url;

  @Option(
      names = "--profile",
      paramLabel = "KEY",
      description = "Trace this command with HMAC key KEY (one of the services' weft.hmac_keys).")
  String profile;

  @Option(
      names = "--trace-categories",
      paramLabel = "CATEGORIES",
      split = ",",
      description =
          "With --profile: also record these categories (sql, redis, mongodb, pooling, ...) for"
              + " this trace only, in every service it reaches, even where they are switched off.")
  List<String> traceCategories = new ArrayList<>();

  /** A client operation. */
  interface Operation {
    ApiResponse call(QueueClient client) throws IOException;
  }

  int run(Operation op) {
    checkOptions();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    QueueClient client = new QueueClient(url);
    Profile trace = profile == null ? null : profile(err);
    try {
      ApiResponse r = op.call(client);
      if (r.body() != null) {
        out.println(JSON.writeValueAsString(r.body()));
      }
      out.flush();
      if (!r.ok()) {
        err.println("HTTP " + r.summary());
        return 1;
      }
      return 0;
    } catch (IOException e) {
      err.println("cannot reach " + url + ": " + e);
      return 2;
    } finally {
      if (trace != null) {
        trace.close(); // prints the trace id, or printed at the start why nothing is traced
      }
      err.flush();
    }
  }

  private Profile profile(PrintWriter err) {
    try {
      return Profile.start(profile, err, traceCategories.toArray(new String[0]));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private void checkOptions() {
    if (profile == null && !traceCategories.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--trace-categories needs --profile KEY");
    }
  }

  static JsonNode jsonOrText(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(s);
    }
  }

  @Command(name = "queue-create", description = "PUT /v2/queues/{name}")
  int queueCreate(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--metadata", description = "A JSON object.") String metadata) {
    return run(c -> c.createQueue(name, metadata == null ? null : jsonOrText(metadata)));
  }

  @Command(name = "queue-list", description = "GET /v2/queues")
  int queueList() {
    return run(QueueClient::listQueues);
  }

  @Command(name = "queue-get", description = "GET /v2/queues/{name}")
  int queueGet(@Parameters(paramLabel = "NAME") String name) {
    return run(c -> c.getQueue(name));
  }

  @Command(name = "queue-delete", description = "DELETE /v2/queues/{name}")
  int queueDelete(@Parameters(paramLabel = "NAME") String name) {
    return run(c -> c.deleteQueue(name));
  }

  @Command(name = "message-post", description = "POST /v2/queues/{name}/messages")
  int messagePost(
      @Parameters(index = "0", paramLabel = "QUEUE") String queue,
      @Parameters(index = "1..*", paramLabel = "BODY", description = "JSON (or plain text).")
          List<String> bodies,
      @Option(names = "--ttl", defaultValue = "3600") int ttl) {
    List<QueueClient.Message> messages = new ArrayList<>();
    for (String b : bodies) {
      messages.add(new QueueClient.Message(jsonOrText(b), ttl));
    }
    return run(c -> c.postMessages(queue, messages));
  }

  @Command(name = "message-list", description = "GET /v2/queues/{name}/messages")
  int messageList(
      @Parameters(paramLabel = "QUEUE") String queue,
      @Option(names = "--limit", defaultValue = "10") int limit,
      @Option(names = "--echo", description = "Include this client's own messages.") boolean echo,
      @Option(names = "--include-claimed", description = "Include claimed messages.")
          boolean includeClaimed) {
    return run(c -> c.listMessages(queue, limit, echo, includeClaimed));
  }

  @Command(name = "message-get", description = "GET /v2/queues/{name}/messages/{id}")
  int messageGet(
      @Parameters(index = "0", paramLabel = "QUEUE") String queue,
      @Parameters(index = "1", paramLabel = "ID") String id) {
    return run(c -> c.getMessage(queue, id));
  }

  @Command(name = "message-delete", description = "DELETE /v2/queues/{name}/messages/{id}")
  int messageDelete(
      @Parameters(index = "0", paramLabel = "QUEUE") String queue,
      @Parameters(index = "1", paramLabel = "ID") String id,
      @Option(names = "--claim-id", description = "The claim holding the message.")
          String claimId) {
    return run(
        c -> claimId == null ? c.deleteMessage(queue, id) : c.deleteMessage(queue, id, claimId));
  }

  @Command(name = "queue-stats", description = "GET /v2/queues/{name}/stats")
  int queueStats(@Parameters(paramLabel = "NAME") String name) {
    return run(c -> c.queueStats(name));
  }

  @Command(name = "claim-create", description = "POST /v2/queues/{name}/claims")
  int claimCreate(
      @Parameters(paramLabel = "QUEUE") String queue,
      @Option(names = "--ttl", defaultValue = "300") int ttl,
      @Option(names = "--grace", defaultValue = "60") int grace,
      @Option(names = "--limit", defaultValue = "10") int limit) {
    return run(c -> c.createClaim(queue, ttl, grace, limit));
  }

  @Command(name = "claim-get", description = "GET /v2/queues/{name}/claims/{id}")
  int claimGet(
      @Parameters(index = "0", paramLabel = "QUEUE") String queue,
      @Parameters(index = "1", paramLabel = "ID") String id) {
    return run(c -> c.getClaim(queue, id));
  }

  @Command(name = "claim-update", description = "PATCH /v2/queues/{name}/claims/{id}")
  int claimUpdate(
      @Parameters(index = "0", paramLabel = "QUEUE") String queue,
      @Parameters(index = "1", paramLabel = "ID") String id,
      @Option(names = "--ttl", defaultValue = "300") int ttl,
      @Option(names = "--grace", defaultValue = "60") int grace) {
    return run(c -> c.updateClaim(queue, id, ttl, grace));
  }

  @Command(name = "claim-delete", description = "DELETE /v2/queues/{name}/claims/{id}")
  int claimDelete(
      @Parameters(index = "0", paramLabel = "QUEUE") String queue,
      @Parameters(index = "1", paramLabel = "ID") String id) {
    return run(c -> c.deleteClaim(queue, id));
  }

  @Command(name = "pool-register", description = "PUT /v2/pools/{name}")
  int poolRegister(
      @Parameters(index = "0", paramLabel = "NAME") String name,
      @Parameters(index = "1", paramLabel = "URI") String uri,
      @Option(names = "--weight", defaultValue = "100") int weight) {
    return run(c -> c.registerPool(name, uri, weight));
  }

  @Command(name = "pool-list", description = "GET /v2/pools")
  int poolList() {
    return run(QueueClient::listPools);
  }

  @Command(name = "subscription-create", description = "POST /v2/queues/{name}/subscriptions")
  int subscriptionCreate(
      @Parameters(index = "0", paramLabel = "QUEUE") String queue,
      @Parameters(index = "1", paramLabel = "SUBSCRIBER", description = "http(s):// webhook URL")
          String subscriber,
      @Option(names = "--ttl", defaultValue = "3600") int ttl) {
    return run(c -> c.createSubscription(queue, subscriber, ttl));
  }

  @Command(name = "subscription-list", description = "GET /v2/queues/{name}/subscriptions")
  int subscriptionList(@Parameters(paramLabel = "QUEUE") String queue) {
    return run(c -> c.listSubscriptions(queue));
  }
}
