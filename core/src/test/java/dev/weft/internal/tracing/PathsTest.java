package dev.weft.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the servlet and HTTP integrations record of a URL's path ({@code weft.http.path_values}).
 */
class PathsTest {
  private static final String[][] NONE_SET = new String[0][];

  @AfterEach
  void reset() {
    Weft.set("weft.http.path_values", null);
    Weft.set("weft.http.path_templates", null);
  }

  private static void table(int mode, String[][] templates, String[][] cases) {
    for (String[] c : cases) {
      assertThat(Paths.apply(c[0], mode, templates)).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void redactIds_replacesIdsAndSecrets_keepsWordsAndShortNumbers() {
    table(
        Paths.REDACT_IDS,
        NONE_SET,
        new String[][] {
          // kept: words, slugs, short numbers, versions
          {"/v2/queues/demo-1/messages", "/v2/queues/demo-1/messages"},
          {"/v2/queues/42", "/v2/queues/42"},
          {"/v2/subscriptions", "/v2/subscriptions"},
          {"/blog/release-notes-v2", "/blog/release-notes-v2"},
          {"/images/ubuntu-22.04-amd64", "/images/ubuntu-22.04-amd64"},
          {"/v2beta1-release-2024", "/v2beta1-release-2024"},
          {"/api/getUserById", "/api/getUserById"},
          {"/orders/123456789", "/orders/123456789"},
          {"/days/20240115", "/days/20240115"},
          {"/v2/queues/Demo1x", "/v2/queues/Demo1x"},
          {"/docs/my%20long%20document%20name", "/docs/my%20long%20document%20name"},
          {"/a/%zz", "/a/%zz"},
          {"/", "/"},
          {"*", "*"},
          // capability URLs: the secret goes, the rest stays
          {"/services/T0001/B0002/XyZsecret123", "/services/T0001/B0002/?"},
          {
            "/services/T024BE7LD/B01ABCDEF12/8dKxQ3vR2mN7pL4sW9yT1uZc",
            "/services/T024BE7LD/B01ABCDEF12/?"
          },
          {
            "/reset/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0"
                + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "/reset/?"
          },
          {"/reset/k3j4h5g6f7d8s9a0", "/reset/?"},
          {"/reset/q8Zp%2B3kT9vLw%2FxR4mN7bYc%3D", "/reset/?"},
          // an escape counts as the character it encodes: ABC123abc
          {"/x/%41%42%43%31%32%33abc", "/x/?"},
          // UUIDs, Mongo ObjectIds, hex, long numbers
          {
            "/v2/queues/demo/claims/123e4567-e89b-12d3-a456-426614174000",
            "/v2/queues/demo/claims/?"
          },
          {"/x/12345678-abcd-1234-abcd-123456789abc", "/x/?"}, // a UUID only rule 1 catches
          {"/v2/queues/demo-1/messages/507f1f77bcf86cd799439011", "/v2/queues/demo-1/messages/?"},
          {"/users/user-507f1f77bcf86cd799439011/inbox", "/users/?/inbox"},
          {"/blob/deadbeefdeadbeefdeadbeef", "/blob/?"},
          {"/orders/12345678901", "/orders/?"},
          {"/v2/queues/weft-e2e-3fa9c01b2d4e/messages", "/v2/queues/?/messages"},
          {"/pods/coredns-5d78c9869d-abcde/log", "/pods/?/log"},
          // matrix parameters: values as ?, jsessionid always
          {"/app/cart;jsessionid=A1B2C3D4E5F6", "/app/cart;jsessionid=?"},
          {"/app/cart;JSESSIONID=0123/item", "/app/cart;JSESSIONID=?/item"},
          {"/cars;color=red;year=2012/list", "/cars;color=?;year=?/list"},
          {"/cars;flag/list", "/cars;flag/list"},
          {"/8dKxQ3vR2mN7pL4sW9yT1uZc;v=1", "/?;v=?"},
          {"/;jsessionid=abc", "/;jsessionid=?"},
          // empty segments and trailing slashes stay as sent
          {"/v2//queues///x", "/v2//queues///x"},
          {"//", "//"},
          {"/v2/queues/", "/v2/queues/"},
          {"/reset/8dKxQ3vR2mN7pL4sW9yT1uZc/", "/reset/?/"},
          {"/reset/8dKxQ3vR2mN7pL4sW9yT1uZc//x", "/reset/?//x"},
        });
  }

  @Test
  void all_recordsThePathAsSent_butNeverTheSessionId() {
    table(
        Paths.ALL,
        NONE_SET,
        new String[][] {
          {"/services/T0001/B0002/XyZsecret123", "/services/T0001/B0002/XyZsecret123"},
          {"/v2/queues/demo/507f1f77bcf86cd799439011", "/v2/queues/demo/507f1f77bcf86cd799439011"},
          {"/cart;jsessionid=A1B2;v=1", "/cart;jsessionid=?;v=1"},
          {"/cart;JSessionId=abc/x;k=v", "/cart;JSessionId=?/x;k=v"},
          {"/cars;color=red", "/cars;color=red"},
        });
  }

  @Test
  void none_keepsOnlyTheFirstSegment() {
    table(
        Paths.NONE,
        NONE_SET,
        new String[][] {
          {"/v2/queues/demo-1/messages", "/v2/?/?/?"},
          {"/services/T0001/B0002/XyZsecret123", "/services/?/?/?"},
          {"/507f1f77bcf86cd799439011/x", "/?/?"},
          {"/v2", "/v2"},
          {"/v2/queues/", "/v2/?/"},
          {"/a//b", "/a//?"},
          {"/cart;jsessionid=X;v=1/item", "/cart;jsessionid=?;v=?/?"},
        });
  }

  @Test
  void templates_decideTheirSegmentsInEveryMode() {
    String[][] t = Paths.templates(List.of("/services/*/*/*", "reset/*/", "/v2/queues/*/messages"));
    table(
        Paths.REDACT_IDS,
        t,
        new String[][] {
          // Slack's documented shape: letters only, which the id rule keeps
          {"/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "/services/?/?/?"},
          {"/reset/abcdefghijklmnopqrstuvwxyz/confirm", "/reset/?/confirm"},
          {"/reset", "/reset"},
          {"/reset/", "/reset/"},
          {"/other/abcdefghijklmnopqrstuvwxyz", "/other/abcdefghijklmnopqrstuvwxyz"},
          {"/v2/queues/demo-1/messages/507f1f77bcf86cd799439011", "/v2/queues/?/messages/?"},
          {"/v2/queues/demo-1/claims", "/v2/queues/demo-1/claims"},
        });
    table(
        Paths.ALL,
        t,
        new String[][] {
          {"/services/T0001/B0002/XyZsecret123", "/services/?/?/?"},
          {
            "/v2/queues/demo-1/messages/507f1f77bcf86cd799439011",
            "/v2/queues/?/messages/507f1f77bcf86cd799439011"
          },
        });
    table(
        Paths.NONE,
        t,
        new String[][] {
          {"/v2/queues/demo-1/messages/x", "/v2/queues/?/messages/?"},
          {"/v2/pools/redis", "/v2/?/?"},
        });
    assertThat(Paths.templates(List.of("/", " ", ""))).isEmpty();
  }

  @Test
  void aTenThousandCharacterPath_isJudgedWhole_andBounded() {
    String token = "/reset/" + "aB3".repeat(3331);
    assertThat(token).hasSize(10_000);
    assertThat(Paths.apply(token, Paths.REDACT_IDS, NONE_SET)).isEqualTo("/reset/?");
    assertThat(Paths.recorded(token)).isEqualTo("/reset/?");

    String word = "/" + "x".repeat(9_999);
    assertThat(Paths.apply(word, Paths.REDACT_IDS, NONE_SET)).isSameAs(word);
    assertThat(Paths.recorded(word)).isEqualTo("/" + "x".repeat(255) + "...");

    // many segments: the work stops after the one that passes the bound, and no partial id shows
    String many =
        "/demo-1".repeat(36) + "/" + "8dKxQ3vR2mN7pL4sW9yT1uZc".repeat(20) + "/a".repeat(4);
    assertThat(many.length()).isGreaterThan(700);
    assertThat(Paths.recorded(many))
        .isEqualTo(("/demo-1".repeat(36) + "/?/a/a/a/a").substring(0, 256) + "...");
    String secretAtTheBound =
        "/" + "w".repeat(250) + "/8dKxQ3vR2mN7pL4sW9yT1uZc/" + "v".repeat(9_000);
    assertThat(Paths.recorded(secretAtTheBound))
        .isEqualTo(("/" + "w".repeat(250) + "/?/" + "v".repeat(9_000)).substring(0, 256) + "...");
  }

  @Test
  void recorded_followsTheOptions() {
    assertThat(Paths.recorded(null)).isEqualTo("/");
    assertThat(Paths.recorded("")).isEqualTo("/");
    String slack = "/services/T0001/B0002/XyZsecret123";
    assertThat(Paths.recorded(slack)).isEqualTo("/services/T0001/B0002/?");
    Weft.set("weft.http.path_values", "ALL");
    assertThat(Paths.recorded(slack)).isEqualTo(slack);
    Weft.set("weft.http.path_values", "none");
    assertThat(Paths.recorded(slack)).isEqualTo("/services/?/?/?");
    Weft.set("weft.http.path_values", "maybe"); // not a mode: the default, with a warning
    assertThat(Paths.recorded(slack)).isEqualTo("/services/T0001/B0002/?");
    Weft.set("weft.http.path_values", null);
    Weft.set("weft.http.path_templates", "/services/*/*/*, /reset/*");
    assertThat(Paths.recorded("/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"))
        .isEqualTo("/services/?/?/?");
    assertThat(Paths.recorded("/reset/abcdefghijklmnopqrstuvwxyz")).isEqualTo("/reset/?");
  }
}
