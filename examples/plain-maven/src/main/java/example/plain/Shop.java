package example.plain;

import dev.weft.annotations.Traced;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The first service: quotes an order, asking the price service over HTTP. */
public final class Shop {
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI prices;

  public Shop(URI prices) {
    this.prices = prices;
  }

  @Traced(name = "quote")
  public long quote(String item, int quantity) throws IOException, InterruptedException {
    return unitPrice(item) * quantity;
  }

  private long unitPrice(String item) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(prices.resolve("/prices/" + item)).build();
    return Long.parseLong(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
  }
}
