package sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Woven code that calls a URL with the JDK HttpClient. */
public class Caller {
  private final HttpClient client = HttpClient.newHttpClient();

  public int get(URI uri) throws IOException, InterruptedException {
    return client
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** {@code client.send} of a GET to {@code uri}, its status. */
  public static int get(HttpClient client, URI uri) throws IOException, InterruptedException {
    return client
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** {@code client.sendAsync} of a GET to {@code uri}, its status. */
  public static int getAsync(HttpClient client, URI uri) throws Exception {
    return client
        .sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
        .get()
        .statusCode();
  }
}
