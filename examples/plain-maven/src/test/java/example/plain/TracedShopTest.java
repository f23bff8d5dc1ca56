package example.plain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Profile;
import dev.weft.testing.TraceTree;
import dev.weft.testing.WeftTesting;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A profiled call of the shop is one trace: the {@code @Traced} method, the woven HttpClient call
 * under it, and the price service's {@code @Traced} method under that call, joined from the signed
 * headers the call carried.
 */
class TracedShopTest {
  @Test
  void aProfiledQuoteIsOneTreeAcrossBothServices() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String baseId;
    try (PriceService prices = new PriceService(0)) {
      Shop shop = new Shop(URI.create("http://127.0.0.1:" + prices.port()));
      try (Profile p = Profile.start("SECRET_KEY", new PrintStream(err, true, "UTF-8"))) {
        baseId = p.baseId();
        assertThat(shop.quote("apple", 3)).isEqualTo(315L);
      }
    }
    WeftTesting.assertNoLeakedContext();
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Trace ID: " + baseId);

    TraceTree t = WeftTesting.recorded(baseId);
    int port = t.all().get(1).startInfo().path("requests").path("port").asInt();
    assertThat(t.render(TraceTree::nameAndInfo))
        .isEqualTo(
            """
            quote {"function":{"name":"example.plain.Shop.quote"}}
              http {"requests":{"method":"GET","query":"","path":"/prices/apple","hostname":"127.0.0.1","port":%d,"scheme":"http"}}
                price_lookup {"function":{"name":"example.plain.PriceService.price"}}
            """
                .formatted(port));
    TraceTree.Span quote = t.roots().get(0);
    TraceTree.Span http = quote.children().get(0);
    assertThat(quote.parentId()).isEqualTo(baseId);
    assertThat(http.parentId()).isEqualTo(quote.id());
    assertThat(http.children().get(0).parentId()).isEqualTo(http.id());
    assertThat(http.stopInfo().path("requests").path("status_code").asInt()).isEqualTo(200);
  }
}
