package example.agent;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import redis.clients.jedis.JedisPooled;

/** {@link Main}'s servlet as a web application declares it (web.xml): Redis on {@code redis.port}. */
public class WebItemServlet extends HttpServlet {
  private JedisPooled redis;

  @Override
  public void init() {
    redis = new JedisPooled("127.0.0.1", Integer.getInteger("redis.port"));
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
