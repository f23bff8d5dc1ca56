package example.agent;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;

/**
 * The same service as a web application: Jetty on the class path, the servlet and Jedis in the web
 * application's own {@code WEB-INF} (a child-first class loader that only the web app sees).
 */
public final class WebApp {
  private WebApp() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    WebAppContext webapp = new WebAppContext(args[1], "/");
    Server server = new Server(port);
    server.setHandler(webapp);
    server.start();
    System.out.println("listening on " + port);
    server.join();
  }
}
