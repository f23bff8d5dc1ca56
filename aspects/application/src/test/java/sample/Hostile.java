package sample;

import dev.weft.annotations.Traced;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Woven code that throws an exception whose {@code getMessage()} and {@code toString()} throw, from
 * every kind of advice of the application library.
 */
public class Hostile {
  /** An application exception that breaks any code that reads its message. */
  public static final class HostileException extends RuntimeException {
    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage() refuses");
    }

    @Override
    public String toString() {
      throw new IllegalStateException("toString() refuses");
    }
  }

  /**
   * For tasks handed to other threads: the JDK's own {@code ExecutionException} and {@code
   * CompletionException} call the cause's {@code toString()}, so only {@code getMessage()} throws.
   */
  public static final class MessageHostileException extends RuntimeException {
    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage() refuses");
    }

    @Override
    public String toString() {
      return "MessageHostileException";
    }
  }

  private final HostileException toThrow;
  private final MessageHostileException toThrowAsync;

  public Hostile(HostileException toThrow, MessageHostileException toThrowAsync) {
    this.toThrow = toThrow;
    this.toThrowAsync = toThrowAsync;
  }

  @Traced
  public Object object() {
    throw toThrow;
  }

  @Traced
  public long primitiveLong() {
    throw toThrow;
  }

  @Traced
  public int primitiveInt() {
    throw toThrow;
  }

  @Traced
  public boolean primitiveBoolean() {
    throw toThrow;
  }

  @Traced(hideArgs = false, hideResult = false)
  public String capturing(String arg) {
    throw toThrow;
  }

  /** A JDK HttpClient call that throws (the client is one that fails every send). */
  public Object httpSend(HttpClient client) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/")).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  public Object httpSendAsync(HttpClient client) {
    return client.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/")).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  /** A task handed to an executor that throws. */
  public Future<?> submit(ExecutorService pool) {
    return pool.submit(
        () -> {
          throw toThrowAsync;
        });
  }

  public CompletableFuture<Object> supplyAsync() {
    return CompletableFuture.supplyAsync(
        () -> {
          throw toThrowAsync;
        });
  }
}
