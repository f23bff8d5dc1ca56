package dev.weft.it.storage;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.internal.context.ThreadContext;
import dev.weft.spi.Collector;
import dev.weft.spi.CollectorFactory;
import dev.weft.spi.Event;
import dev.weft.spi.TraceReader;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.Document;
import redis.clients.jedis.Jedis;

/**
 * A collector that stores every event the way Weft's Redis and MongoDB collectors do (LPUSH to
 * {@code osprofiler_opt:<base_id>}, one document per event in {@code osprofiler.profiler}) through
 * the same, woven drivers, and also keeps it in memory for the test to read. Connection string:
 * {@code itstore://127.0.0.1:<redis port>?mongo=<host:port>}.
 */
public final class StoringCollector implements CollectorFactory {
  /** What the collector thread saw each time it stored: its name and whether a trace was active. */
  static final List<String> SEEN = new CopyOnWriteArrayList<>();

  @Override
  public boolean supports(String scheme) {
    return "itstore".equals(scheme);
  }

  @Override
  public Collector collector(String cs, Map<String, String> settings) {
    URI u = URI.create(cs);
    String mongo = u.getQuery().substring("mongo=".length());
    Jedis jedis = new Jedis(u.getHost(), u.getPort());
    MongoClient client = MongoClients.create("mongodb://" + mongo);
    MemoryCollector memory = new MemoryCollector();
    return new Collector() {
      @Override
      public void store(List<Event> batch) throws Exception {
        SEEN.add(Thread.currentThread().getName() + " active=" + (ThreadContext.active() != null));
        for (Event e : batch) {
          jedis.lpush("osprofiler_opt:" + e.baseId(), e.json());
          client
              .getDatabase("osprofiler")
              .getCollection("profiler")
              .insertOne(Document.parse(e.json()));
        }
        memory.store(batch);
      }

      @Override
      public void close() {
        jedis.close();
        client.close();
      }
    };
  }

  @Override
  public TraceReader reader(String cs) {
    return new MemoryCollector();
  }
}
