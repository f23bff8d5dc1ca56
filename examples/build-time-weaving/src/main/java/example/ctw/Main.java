package example.ctw;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import redis.clients.jedis.JedisPooled;

/**
 * A small service: {@code PUT /votes/<topic>} adds a vote in Redis and answers the count. Its
 * servlet API, Jedis and commons-pool2 classes were woven when it was built; it runs with no agent.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    JedisPooled redis = new JedisPooled("127.0.0.1", Integer.parseInt(args[1]));
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new VoteServlet(redis), "/votes/*");
    Server server = new Server(port);
    server.setHandler(context);
    server.start();
    System.out.println("listening on " + port);
    server.join();
  }

  static final class VoteServlet extends HttpServlet {
    private final JedisPooled redis;

    VoteServlet(JedisPooled redis) {
      this.redis = redis;
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String topic = req.getPathInfo().substring(1);
      long votes = redis.hincrBy("votes", topic, 1);
      resp.setContentType("text/plain");
      resp.getWriter().print(topic + " " + votes);
    }
  }
}
