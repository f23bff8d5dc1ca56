package dev.weft.testapp.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/**
 * Messages in Redis: {@code weft:m:<queue>:<id>} holds the message JSON ({@code body, ttl, c, e, u}
 * and, while claimed, {@code cid, ct, ce}) and expires with the message; the sorted set {@code
 * weft:q:<queue>} orders the ids by posting time. Ids whose message has expired are pruned when
 * listed.
 */
final class RedisMessageStore implements MessageStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JedisPooled jedis;

  RedisMessageStore(String uri) {
    this.jedis = new JedisPooled(URI.create(uri));
  }

  @Override
  public String kind() {
    return "redis";
  }

  private static String messageKey(String queue, String id) {
    return "weft:m:" + queue + ":" + id;
  }

  private static String queueKey(String queue) {
    return "weft:q:" + queue;
  }

  private static String json(StoredMessage m) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("body", m.body());
    doc.put("ttl", m.ttl());
    doc.put("c", m.createdMillis());
    doc.put("e", m.expiresMillis());
    if (m.clientId() != null) {
      doc.put("u", m.clientId());
    }
    if (m.claimId() != null) {
      doc.put("cid", m.claimId());
      doc.put("ct", m.claimTtl());
      doc.put("ce", m.claimExpiresMillis());
    }
    return doc.toString();
  }

  @Override
  public StoredMessage post(String queue, String body, int ttl, String clientId) {
    long now = PostClock.next();
    StoredMessage m = new StoredMessage(UUID.randomUUID().toString(), body, ttl, now, clientId);
    jedis.set(messageKey(queue, m.id()), json(m), SetParams.setParams().ex(ttl));
    jedis.zadd(queueKey(queue), now, m.id());
    return m;
  }

  @Override
  public List<StoredMessage> scan(
      String queue, long afterMillis, int limit, Predicate<StoredMessage> filter) {
    List<StoredMessage> out = new ArrayList<>();
    List<String> ids =
        afterMillis > 0
            ? jedis.zrangeByScore(queueKey(queue), "(" + afterMillis, "+inf")
            : jedis.zrange(queueKey(queue), 0, -1);
    for (String id : ids) {
      StoredMessage m = get(queue, id);
      if (m == null) {
        jedis.zrem(queueKey(queue), id);
      } else if (filter.test(m)) {
        out.add(m);
        if (out.size() >= limit) {
          break;
        }
      }
    }
    return out;
  }

  @Override
  public StoredMessage get(String queue, String id) {
    String raw = jedis.get(messageKey(queue, id));
    if (raw == null) {
      return null;
    }
    try {
      JsonNode doc = JSON.readTree(raw);
      long created = doc.get("c").asLong();
      int ttl = doc.get("ttl").asInt();
      StoredMessage m =
          new StoredMessage(
              id,
              doc.get("body").asText(),
              ttl,
              created,
              doc.has("e") ? doc.get("e").asLong() : created + ttl * 1000L,
              doc.has("u") ? doc.get("u").asText() : null,
              doc.has("cid") ? doc.get("cid").asText() : null,
              doc.path("ct").asInt(0),
              doc.path("ce").asLong(0));
      return m.expiredAt(System.currentTimeMillis()) ? null : m;
    } catch (Exception e) {
      throw new IllegalStateException("corrupt message " + id + " in queue " + queue, e);
    }
  }

  @Override
  public boolean update(String queue, StoredMessage m) {
    long left = m.expiresMillis() - System.currentTimeMillis();
    if (left <= 0) {
      return delete(queue, m.id());
    }
    String set = jedis.set(messageKey(queue, m.id()), json(m), SetParams.setParams().xx().px(left));
    return "OK".equals(set);
  }

  @Override
  public boolean delete(String queue, String id) {
    long n = jedis.del(messageKey(queue, id));
    jedis.zrem(queueKey(queue), id);
    return n > 0;
  }

  @Override
  public void drop(String queue) {
    for (String id : jedis.zrange(queueKey(queue), 0, -1)) {
      jedis.del(messageKey(queue, id));
    }
    jedis.del(queueKey(queue));
  }

  @Override
  public boolean alive() {
    try {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    jedis.close();
  }
}
