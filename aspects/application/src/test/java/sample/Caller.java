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
}
