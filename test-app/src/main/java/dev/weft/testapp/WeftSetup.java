package dev.weft.testapp;

import dev.weft.Weft;

/**
 * The app's whole Weft wiring at start-up: name the service (unless configured), start Weft from
 * its configuration ({@code weft.properties}, {@code -Dweft.*}, {@code WEFT_*}) and log its state
 * once — never the keys. Everything else is woven: {@code @Traced} code and the servlets at compile
 * time, the drivers at load time ({@code -javaagent}).
 */
public final class WeftSetup {
  private WeftSetup() {}

  /**
   * Sets {@code weft.service} to {@code service} unless a system property or {@code WEFT_SERVICE}
   * names it, then initialises Weft and returns {@link Weft#describe()}.
   */
  public static String init(String service) {
    if (System.getProperty("weft.service") == null && System.getenv("WEFT_SERVICE") == null) {
      System.setProperty("weft.service", service);
    }
    Weft.init();
    return Weft.describe();
  }
}
