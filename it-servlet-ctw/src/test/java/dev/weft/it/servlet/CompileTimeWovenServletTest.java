package dev.weft.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.it.servlet.app.EchoServlet;
import dev.weft.it.servlet.plain.PlainServlet;
import jakarta.servlet.http.HttpServlet;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The servlet suite against the compile-time woven application, without an agent: the spans start
 * at the application's own {@code do*} methods; Jetty's {@code HttpServlet} is not woven.
 */
class CompileTimeWovenServletTest extends ServletSuite {

  static boolean woven(Class<?> c) {
    return Arrays.stream(c.getDeclaredMethods()).anyMatch(m -> m.getName().contains("aroundBody"));
  }

  @Test
  void onlyTheApplicationIsWoven() {
    assertThat(woven(HttpServlet.class)).isFalse();
    assertThat(woven(EchoServlet.class)).isTrue();
    assertThat(woven(PlainServlet.class)).isTrue();
  }
}
