package dev.weft.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.it.servlet.app.EchoServlet;
import dev.weft.it.servlet.plain.PlainServlet;
import jakarta.servlet.http.HttpServlet;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The servlet suite with the AspectJ agent: Jetty's {@code HttpServlet} is woven through
 * weaving-config's aop.xml, the application's classes through the tests' aop.xml.
 */
class LoadTimeWovenServletTest extends ServletSuite {

  static boolean woven(Class<?> c) {
    return Arrays.stream(c.getDeclaredMethods()).anyMatch(m -> m.getName().contains("aroundBody"));
  }

  @Test
  void theContainersHttpServletIsWovenAtLoadTime() {
    assertThat(woven(HttpServlet.class)).isTrue();
    assertThat(woven(EchoServlet.class)).isTrue();
    // /plain (traced in filtersForwardAndIncludeEachGiveExactlyOneServletSpan) is not woven itself
    assertThat(woven(PlainServlet.class)).isFalse();
  }
}
