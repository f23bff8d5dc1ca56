package dev.weft.it.storage;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.collect.MemoryCollector;
import dev.weft.spi.Event;
import org.bson.Document;

/**
 * An application with only the MongoDB driver on its class path (no Jedis, Hibernate, HikariCP or
 * commons-pool2), run under the agent by {@link MissingDriverTest}: prints the names of the events
 * one traced insert leaves.
 */
public final class MongoOnlyMain {
  private MongoOnlyMain() {}

  public static void main(String[] args) {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
    Weft.set("weft.trace.mongodb", "true");
    MongoServer server = new MongoServer(new MemoryBackend());
    try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString());
        TraceScope t = Trace.begin("mongo-only", null, null)) {
      client.getDatabase("weftit").getCollection("alone").insertOne(new Document("a", 1));
    } finally {
      server.shutdownNow();
    }
    Weft.flush();
    StringBuilder names = new StringBuilder();
    for (Event e : MemoryCollector.events()) {
      names.append(e.name()).append(' ');
    }
    System.out.println("events: " + names.toString().trim());
  }
}
