package dev.weft.it.servlet.app;

import dev.weft.annotations.Traced;

/** Work done by a request, traced as a span of its own. */
public class Worker {
  @Traced
  public String compute(String input) {
    return "work(" + input + ")";
  }
}
