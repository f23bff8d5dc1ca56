package example.agent;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import redis.clients.jedis.JedisPooled;

/** A small service: {@code GET /items/<name>} counts a hit and reads the item from Redis. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    JedisPooled redis = new JedisPooled("127.0.0.1", Integer.parseInt(args[1]));
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ItemServlet(redis), "/items/*");
    Server server = new Server(port);
    server.setHandler(context);
    server.start();
    System.out.println("listening on " + port);
    server.join();
  }

  static final class ItemServlet extends HttpServlet {
    private final JedisPooled redis;

    ItemServlet(JedisPooled redis) {
      this.redis = redis;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String name = req.getPathInfo().substring(1);
      long hits = redis.incr("hits:" + name);
      String value = redis.get("item:" + name);
      resp.setContentType("text/plain");
      resp.getWriter().print(name + "=" + value + " hits=" + hits);
    }
  }
}
