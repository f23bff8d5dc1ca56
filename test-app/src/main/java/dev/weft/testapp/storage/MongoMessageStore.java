package dev.weft.testapp.storage;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Messages in MongoDB: one document per message in collection {@code messages} of the URI's
 * database (default {@code weft_queues}), {@code {_id, q, body, ttl, c, e, u}} (created, expires,
 * client), with its claim as {@code cid, ct, ce} (claim id, ttl, expires) while it has one.
 */
final class MongoMessageStore implements MessageStore {
  private final MongoClient client;
  private final MongoCollection<Document> messages;

  MongoMessageStore(String uri) {
    ConnectionString cs = new ConnectionString(uri);
    MongoClientSettings settings =
        MongoClientSettings.builder()
            .applyConnectionString(cs)
            .applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS))
            .applyToSocketSettings(b -> b.connectTimeout(5, TimeUnit.SECONDS))
            .build();
    this.client = MongoClients.create(settings);
    String db = cs.getDatabase() == null ? "weft_queues" : cs.getDatabase();
    this.messages = client.getDatabase(db).getCollection("messages");
    this.messages.createIndex(Indexes.ascending("q"));
  }

  @Override
  public String kind() {
    return "mongodb";
  }

  @Override
  public StoredMessage post(String queue, String body, int ttl, String clientId) {
    long now = PostClock.next();
    String id = UUID.randomUUID().toString();
    messages.insertOne(
        new Document("_id", id)
            .append("q", queue)
            .append("body", body)
            .append("ttl", ttl)
            .append("c", now)
            .append("e", now + ttl * 1000L)
            .append("u", clientId));
    return new StoredMessage(id, body, ttl, now, clientId);
  }

  private static Bson live(String queue) {
    return Filters.and(Filters.eq("q", queue), Filters.gt("e", System.currentTimeMillis()));
  }

  @Override
  public List<StoredMessage> scan(
      String queue, long afterMillis, int limit, Predicate<StoredMessage> filter) {
    List<StoredMessage> out = new ArrayList<>();
    Bson query =
        afterMillis > 0 ? Filters.and(live(queue), Filters.gt("c", afterMillis)) : live(queue);
    for (Document d : messages.find(query).sort(Sorts.ascending("c"))) {
      StoredMessage m = of(d);
      if (filter.test(m)) {
        out.add(m);
        if (out.size() >= limit) {
          break;
        }
      }
    }
    return out;
  }

  @Override
  public boolean update(String queue, StoredMessage m) {
    return messages
            .updateOne(
                Filters.and(Filters.eq("q", queue), Filters.eq("_id", m.id())),
                Updates.combine(
                    Updates.set("ttl", m.ttl()),
                    Updates.set("e", m.expiresMillis()),
                    Updates.set("cid", m.claimId()),
                    Updates.set("ct", m.claimTtl()),
                    Updates.set("ce", m.claimExpiresMillis())))
            .getMatchedCount()
        > 0;
  }

  @Override
  public boolean alive() {
    try {
      client.getDatabase("admin").runCommand(new Document("ping", 1));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public StoredMessage get(String queue, String id) {
    Document d = messages.find(Filters.and(live(queue), Filters.eq("_id", id))).first();
    return d == null ? null : of(d);
  }

  @Override
  public boolean delete(String queue, String id) {
    return messages
            .deleteOne(Filters.and(Filters.eq("q", queue), Filters.eq("_id", id)))
            .getDeletedCount()
        > 0;
  }

  @Override
  public void drop(String queue) {
    messages.deleteMany(Filters.eq("q", queue));
  }

  private static StoredMessage of(Document d) {
    Number ct = (Number) d.get("ct");
    Number ce = (Number) d.get("ce");
    return new StoredMessage(
        d.getString("_id"),
        d.getString("body"),
        d.getInteger("ttl"),
        ((Number) d.get("c")).longValue(),
        ((Number) d.get("e")).longValue(),
        d.getString("u"),
        d.getString("cid"),
        ct == null ? 0 : ct.intValue(),
        ce == null ? 0 : ce.longValue());
  }

  @Override
  public void close() {
    client.close();
  }
}
