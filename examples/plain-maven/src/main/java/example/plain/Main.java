package example.plain;

import dev.weft.Profile;
import java.net.URI;

/**
 * Both services in one process, and one profiled call: {@code java -Dweft.enabled=true
 * -Dweft.hmac_keys=SECRET_KEY -cp ... example.plain.Main} prints the quote, then the trace id.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    try (PriceService prices = new PriceService(0)) {
      Shop shop = new Shop(URI.create("http://127.0.0.1:" + prices.port()));
      try (Profile p = Profile.start("SECRET_KEY")) { // on close, prints "Trace ID: ..."
        System.out.println(shop.quote("apple", 3)); // the woven HttpClient call is signed
      }
    }
  }
}
