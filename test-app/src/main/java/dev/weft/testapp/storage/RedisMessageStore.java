package dev.weft.testapp.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/**
 * Messages in Redis: {@code weft:m:<queue>:<id>} holds the message JSON and expires with its ttl;
 * the sorted set {@code weft:q:<queue>} orders the ids by posting time. Ids whose message has
 * expired are pruned when listed.
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

  @Override
  public StoredMessage post(String queue, String body, int ttl) {
    long now = PostClock.next();
    String id = UUID.randomUUID().toString();
    ObjectNode doc = JSON.createObjectNode();
    doc.put("body", body);
    doc.put("ttl", ttl);
    doc.put("c", now);
    jedis.set(messageKey(queue, id), doc.toString(), SetParams.setParams().ex(ttl));
    jedis.zadd(queueKey(queue), now, id);
    return new StoredMessage(id, body, ttl, now);
  }

  @Override
  public List<StoredMessage> list(String queue, int limit) {
    List<StoredMessage> out = new ArrayList<>();
    List<String> ids = jedis.zrange(queueKey(queue), 0, -1);
    for (String id : ids) {
      if (out.size() >= limit) {
        break;
      }
      StoredMessage m = get(queue, id);
      if (m == null) {
        jedis.zrem(queueKey(queue), id);
      } else {
        out.add(m);
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
      return new StoredMessage(
          id, doc.get("body").asText(), doc.get("ttl").asInt(), doc.get("c").asLong());
    } catch (Exception e) {
      throw new IllegalStateException("corrupt message " + id + " in queue " + queue, e);
    }
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
  public void close() {
    jedis.close();
  }
}
