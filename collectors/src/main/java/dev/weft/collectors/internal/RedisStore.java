package dev.weft.collectors.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.collectors.WeftCollectorFactory;
import dev.weft.spi.Collector;
import dev.weft.spi.ConnectionStrings;
import dev.weft.spi.Event;
import dev.weft.spi.EventBatch;
import dev.weft.spi.PartialFailure;
import dev.weft.spi.TraceReader;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@code redis://}: OSProfiler's Redis layout (osprofiler/drivers/redis_driver.py).
 *
 * <ul>
 *   <li>Every event: {@code LPUSH osprofiler_opt:<base_id> <event json>}, so a trace's list holds
 *       its events newest first.
 *   <li>With {@code filter_error_trace}, a stop event with {@code etype} also sets {@code
 *       osprofiler_error:<base_id>} to {@code {"base_id": ..., "timestamp": ...}}.
 *   <li>Read only: OSProfiler's legacy layout, one key per event {@code
 *       osprofiler:<base_id>_<trace_id>_<timestamp>} holding the event JSON.
 * </ul>
 *
 * <p>A batch is sent in chunks of up to {@value #EVENTS_PER_CHUNK} events (whole spans), each chunk
 * one variadic {@code LPUSH} per trace with that trace's events in batch order (so a trace's list
 * is the same as from one {@code LPUSH} per event), all pipelined on one connection before the
 * first reply is read: Redis executes one chunk while the collector thread still encodes and sends
 * the next, and the batch costs one round trip. Each command's reply says whether Redis applied it:
 * the events of an {@code LPUSH} it refused, and those whose replies were lost with the connection,
 * are counted as dropped ({@link dev.weft.spi.PartialFailure} when others of the batch were
 * stored), so the spans Weft counts as stored are in Redis. Connect and read timeouts are {@value
 * WeftCollectorFactory#TIMEOUT_MILLIS} ms. The collector keeps its connection from one batch to the
 * next; one idle for more than {@value #IDLE_CHECK_MILLIS} ms goes back to the pool and the next
 * batch borrows one, checked with {@code PING}, so after Redis comes back the next batch reconnects
 * instead of failing on a dead socket.
 */
public final class RedisStore implements Collector, TraceReader {
  public static final String PREFIX = "osprofiler_opt:";
  public static final String LEGACY_PREFIX = "osprofiler:";
  public static final String ERROR_PREFIX = "osprofiler_error:";
  private static final int SCAN_COUNT = 1000;
  private static final int MGET_CHUNK = 500;

  /** Events per chunk of a batch (an even number: a span's two events stay together). */
  static final int EVENTS_PER_CHUNK = 128;

  /** A kept connection idle longer than this is checked again (returned, borrowed with PING). */
  static final long IDLE_CHECK_MILLIS = 1_000;

  private final String connectionString;
  private final boolean filterErrors;
  private Client redis; // opened on first use, again after an open that failed

  // The collector thread's connection, kept between batches, and when it was last used.
  private Connection held;
  private long heldUsedNanos;

  /** The commands' client and the pool (or sentinel-followed pool) it takes connections from. */
  record Client(UnifiedJedis jedis, ConnectionProvider provider) implements AutoCloseable {
    @Override
    public void close() {
      jedis.close(); // closes the provider
    }
  }

  private RedisStore(String connectionString, boolean filterErrors) {
    this.connectionString = connectionString;
    this.filterErrors = filterErrors;
    if (!isSentinel(connectionString)) {
      this.redis = open(connectionString); // parses only: no connection yet
    } else {
      sentinelSettings(connectionString); // a bad string fails here, not at the first batch
    }
  }

  public static Collector collector(String connectionString, boolean filterErrors) {
    return new RedisStore(connectionString, filterErrors);
  }

  public static TraceReader reader(String connectionString) {
    return new RedisStore(connectionString, false);
  }

  /**
   * The client. A sentinel client asks the sentinels for the master when it is made: when none
   * answers, this throws (the batch is dropped and counted) and the next call asks again.
   */
  private UnifiedJedis redis() {
    return client().jedis();
  }

  private synchronized Client client() {
    if (redis == null) {
      redis = open(connectionString);
    }
    return redis;
  }

  private static boolean isSentinel(String cs) {
    return cs.regionMatches(true, 0, "redissentinel://", 0, "redissentinel://".length());
  }

  /**
   * Parses {@code redis://[[user]:password@]host[:port][/db]} ({@code rediss://} for TLS) or {@code
   * redissentinel://...}; no connection is made here.
   */
  static Client open(String cs) {
    if (isSentinel(cs)) {
      return sentinel(cs);
    }
    URI uri;
    try {
      uri = URI.create(cs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad Redis connection string: " + ConnectionStrings.redact(cs));
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException(
          "Redis connection string needs a host: " + ConnectionStrings.redact(cs));
    }
    int port = uri.getPort() < 0 ? 6379 : uri.getPort();
    DefaultJedisClientConfig.Builder config =
        client("weft-collector", WeftCollectorFactory.TIMEOUT_MILLIS);
    Map<String, String> q = Tls.query(uri.getRawQuery());
    if ("rediss".equalsIgnoreCase(uri.getScheme())) {
      tls(config, q, cs);
    }
    credentials(config, uri.getRawUserInfo());
    String path = uri.getPath();
    database(config, path == null || path.length() <= 1 ? "" : path.substring(1), cs);
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(4);
    pool.setMaxIdle(2);
    pool.setMinIdle(0);
    pool.setTestOnBorrow(true);
    pool.setBlockWhenExhausted(true);
    pool.setMaxWait(Duration.ofMillis(WeftCollectorFactory.TIMEOUT_MILLIS));
    pool.setJmxEnabled(false);
    ConnectionProvider provider =
        new PooledConnectionProvider(new HostAndPort(host, port), config.build(), pool);
    return new Client(new UnifiedJedis(provider), provider);
  }

  /**
   * TLS for {@code rediss://}, with redis-py's query option names so that one connection string
   * serves Weft and OSProfiler: {@code ssl_ca_certs=FILE} (PEM trust anchors; default: the JVM's
   * trust store) and {@code ssl_check_hostname=false} (turns host-name verification off; it is on
   * by default). The certificate chain is always verified: {@code ssl_cert_reqs} other than {@code
   * required} is refused.
   */
  private static void tls(
      DefaultJedisClientConfig.Builder config, Map<String, String> q, String cs) {
    String redacted = ConnectionStrings.redact(cs);
    String reqs = q.getOrDefault("ssl_cert_reqs", "required").trim().toLowerCase(Locale.ROOT);
    if (!reqs.equals("required") && !reqs.equals("cert_required")) {
      throw new IllegalArgumentException(
          "ssl_cert_reqs="
              + reqs
              + " is not supported: Weft always verifies the server's certificate (trust it with"
              + " ssl_ca_certs=FILE): "
              + redacted);
    }
    config.ssl(true);
    config.sslSocketFactory(Tls.context(q.get("ssl_ca_certs")).getSocketFactory());
    if (Tls.flag(q, "ssl_check_hostname", true, redacted)) {
      config.sslParameters(Tls.verifyingHostName());
    }
  }

  /**
   * {@code redissentinel://[[user]:password@]host:port[,host:port...][/db][?options]}, OSProfiler's
   * form: the sentinels to ask (OSProfiler takes one; more may be listed, comma-separated), the
   * password and database of the master. Options in the query: {@code sentinel_service_name} (the
   * monitored master's name, default {@code mymaster}, as OSProfiler's {@code
   * [profiler]/sentinel_service_name}), {@code socket_timeout} (seconds, default {@value
   * WeftCollectorFactory#TIMEOUT_MILLIS} ms, as OSProfiler's {@code [profiler]/socket_timeout}),
   * {@code sentinel_password} (when the sentinels themselves ask for one). After a failover the
   * client follows the sentinels to the new master; batches that fail during the switch are dropped
   * and counted like any collector failure.
   */
  static Client sentinel(String cs) {
    SentinelSettings st = sentinelSettings(cs);
    try {
      ConnectionProvider provider =
          new SentineledConnectionProvider(st.service, st.master, st.sentinels, st.sentinel);
      return new Client(new UnifiedJedis(provider), provider);
    } catch (redis.clients.jedis.exceptions.JedisException e) {
      throw new IllegalStateException(
          "no Redis master '"
              + st.service
              + "' from the sentinels of "
              + ConnectionStrings.redact(cs)
              + ": "
              + e,
          e);
    }
  }

  record SentinelSettings(
      String service,
      DefaultJedisClientConfig master,
      Set<HostAndPort> sentinels,
      DefaultJedisClientConfig sentinel) {}

  static SentinelSettings sentinelSettings(String cs) {
    String redacted = ConnectionStrings.redact(cs);
    String rest = cs.substring("redissentinel://".length());
    int q = rest.indexOf('?');
    Map<String, String> query = Tls.query(q < 0 ? "" : rest.substring(q + 1));
    if (q >= 0) {
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    String db = slash < 0 ? "" : rest.substring(slash + 1);
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? null : authority.substring(0, at);
    String hosts = at < 0 ? authority : authority.substring(at + 1);
    Set<HostAndPort> sentinels = new LinkedHashSet<>();
    for (String h : hosts.split(",")) {
      if (h.isBlank()) {
        continue;
      }
      try {
        URI one = URI.create("redis://" + h.trim());
        if (one.getHost() == null) {
          throw new IllegalArgumentException(h);
        }
        sentinels.add(new HostAndPort(one.getHost(), one.getPort() < 0 ? 26379 : one.getPort()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad sentinel address '" + h + "': " + redacted);
      }
    }
    if (sentinels.isEmpty()) {
      throw new IllegalArgumentException("redissentinel:// needs host:port: " + redacted);
    }
    int timeout = WeftCollectorFactory.TIMEOUT_MILLIS;
    if (query.containsKey("socket_timeout")) {
      try {
        timeout = (int) Math.round(Double.parseDouble(query.get("socket_timeout")) * 1000);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("socket_timeout must be seconds: " + redacted);
      }
    }
    DefaultJedisClientConfig.Builder master = client("weft-collector", timeout);
    credentials(master, userInfo);
    database(master, db, cs);
    DefaultJedisClientConfig.Builder sentinel = client("weft-sentinel", timeout);
    String sentinelPassword = query.get("sentinel_password");
    if (sentinelPassword != null && !sentinelPassword.isEmpty()) {
      sentinel.password(sentinelPassword);
    }
    return new SentinelSettings(
        query.getOrDefault("sentinel_service_name", "mymaster"),
        master.build(),
        sentinels,
        sentinel.build());
  }

  /** A client configuration with Weft's timeouts and name, and no client-info handshake. */
  private static DefaultJedisClientConfig.Builder client(String name, int timeoutMillis) {
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(timeoutMillis)
        .socketTimeoutMillis(timeoutMillis)
        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
        .clientName(name);
  }

  /** {@code [user]:password} (percent-encoded) of a connection string, when there is one. */
  private static void credentials(DefaultJedisClientConfig.Builder config, String userInfo) {
    if (userInfo == null || userInfo.isEmpty()) {
      return;
    }
    int colon = userInfo.indexOf(':');
    String user = colon < 0 ? null : decode(userInfo.substring(0, colon));
    String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
    if (user != null && !user.isEmpty()) {
      config.user(user);
    }
    if (!password.isEmpty()) {
      config.password(password);
    }
  }

  /** The database number after the host ({@code /3}); empty leaves the default, 0. */
  private static void database(DefaultJedisClientConfig.Builder config, String db, String cs) {
    if (db.isEmpty()) {
      return;
    }
    try {
      config.database(Integer.parseInt(db));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Redis database must be a number: " + ConnectionStrings.redact(cs));
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  // ---- collector ----

  @Override
  public void store(List<Event> batch) throws PartialFailure {
    if (batch.isEmpty()) {
      return;
    }
    storeBytes(EventBatch.of(batch));
  }

  /**
   * Sends the batch as pipelined chunks (see the class comment), then reads their replies in order.
   * Each event goes out as its JSON bytes; from the pipeline's queue they are written from the
   * span, with no Event or String per event. Throws {@link PartialFailure} naming exactly the
   * traces whose events are not in Redis when some of the batch was stored.
   */
  private void storeBytes(EventBatch batch) throws PartialFailure {
    int n = batch.size();
    List<Chunk> sent = new ArrayList<>((n + EVENTS_PER_CHUNK - 1) / EVENTS_PER_CHUNK);
    Connection c = connection();
    RuntimeException failure = null;
    boolean clean = true; // every reply read: the connection may be kept
    try {
      for (int from = 0; from < n; from += EVENTS_PER_CHUNK) {
        sent.add(send(c, batch, from, Math.min(n, from + EVENTS_PER_CHUNK)));
      }
    } catch (RuntimeException e) {
      failure = e; // the connection failed: nothing of this batch can be confirmed
      clean = false;
      sent.clear();
    }
    Map<String, Integer> lost = new LinkedHashMap<>(); // trace -> events not stored
    boolean storedAny = false;
    int answered = 0; // events of the chunks whose replies were read, from the first
    for (Chunk chunk : sent) {
      List<Object> replies = new ArrayList<>(chunk.traces.size() + chunk.errorIndexes);
      RuntimeException broken = chunk.read(c, replies);
      answered = chunk.to;
      for (int i = 0; i < replies.size(); i++) {
        boolean lpush = i < chunk.traces.size(); // then the error-index SETs
        if (!(replies.get(i) instanceof JedisDataException refused)) {
          storedAny |= lpush;
          continue;
        }
        if (lpush) {
          lost.merge(chunk.traces.get(i), chunk.events.get(i), Integer::sum);
        }
        if (failure == null) {
          failure = new IllegalStateException("Redis refused a command: " + refused, refused);
        }
      }
      if (broken != null) {
        failure = broken; // the connection, or replies out of step: read no further
        clean = false;
        // The LPUSHes answered before it are in Redis; this chunk's others are lost.
        for (int i = replies.size(); i < chunk.traces.size(); i++) {
          lost.merge(chunk.traces.get(i), chunk.events.get(i), Integer::sum);
        }
        break;
      }
    }
    // What was not read back is counted lost, whether Redis applied it or not: its reply went
    // with the connection.
    for (int i = answered; i < n; i++) {
      lost.merge(batch.baseId(i), 1, Integer::sum);
    }
    release(c, clean);
    if (failure == null) {
      return;
    }
    if (!storedAny) {
      throw failure;
    }
    int events = 0;
    for (int v : lost.values()) {
      events += v;
    }
    throw new PartialFailure(lost.keySet(), events, failure);
  }

  /** One chunk of a batch: the events before {@code to} and its LPUSHes' traces. */
  private static final class Chunk {
    final int to;
    final List<String> traces = new ArrayList<>(); // one LPUSH each, in this order
    final List<Integer> events = new ArrayList<>(); // events of each LPUSH
    int errorIndexes; // SETs after the LPUSHes

    Chunk(int to) {
      this.to = to;
    }

    /**
     * Reads this chunk's replies into {@code out}, one per command in order: the reply, or the
     * {@link JedisDataException} of a command Redis refused. Returns the connection's exception
     * when it failed ({@code out} then holds the replies read before it), else null.
     */
    RuntimeException read(Connection c, List<Object> out) {
      int commands = traces.size() + errorIndexes;
      while (out.size() < commands) {
        try {
          out.add(c.getOne()); // flushes what is still buffered first
        } catch (JedisDataException refused) {
          out.add(refused); // -WRONGTYPE, -OOM, -NOAUTH ...: this command only
        } catch (RuntimeException broken) {
          return broken;
        }
      }
      return null;
    }
  }

  /**
   * Writes one {@code LPUSH} per trace of events {@code [from, to)} (with that trace's events in
   * their order), then the error index.
   */
  private Chunk send(Connection c, EventBatch batch, int from, int to) {
    Map<String, List<byte[]>> byTrace = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    for (int i = from; i < to; i++) {
      String base = batch.baseId(i);
      byTrace.computeIfAbsent(base, k -> new ArrayList<>()).add(batch.jsonBytes(i));
      if (filterErrors && batch.error(i)) {
        errors.put(base, batch.timestamp(i));
      }
    }
    Chunk chunk = new Chunk(to);
    for (Map.Entry<String, List<byte[]>> en : byTrace.entrySet()) {
      List<byte[]> events = en.getValue();
      byte[][] args = new byte[events.size() + 1][];
      args[0] = (PREFIX + en.getKey()).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < events.size(); i++) {
        args[i + 1] = events.get(i);
      }
      c.sendCommand(Protocol.Command.LPUSH, args);
      chunk.traces.add(en.getKey());
      chunk.events.add(events.size());
    }
    for (Map.Entry<String, String> en : errors.entrySet()) {
      c.sendCommand(
          Protocol.Command.SET,
          (ERROR_PREFIX + en.getKey()).getBytes(StandardCharsets.UTF_8),
          EventJson.errorIndex(en.getKey(), en.getValue()).getBytes(StandardCharsets.UTF_8));
    }
    chunk.errorIndexes = errors.size();
    return chunk;
  }

  /** The kept connection; after {@value #IDLE_CHECK_MILLIS} ms unused, a freshly checked one. */
  private Connection connection() {
    long now = System.nanoTime();
    if (held != null && now - heldUsedNanos > IDLE_CHECK_MILLIS * 1_000_000L) {
      Connection idle = held;
      held = null;
      idle.close(); // back to the pool, which checks it with PING when it is borrowed again
    }
    if (held == null) {
      held = client().provider().getConnection();
    }
    return held;
  }

  /** Keeps a connection that answered everything; one in any other state goes back (closed). */
  private void release(Connection c, boolean clean) {
    heldUsedNanos = System.nanoTime();
    if (!clean) {
      held = null;
      try {
        c.setBroken(); // replies may still be pending on it: never reuse it
        c.close();
      } catch (RuntimeException ignored) {
        // already unusable
      }
    }
  }

  // ---- reader ----

  @Override
  public List<TraceSummary> list(boolean errorsOnly) {
    Map<String, String> first = new LinkedHashMap<>();
    if (errorsOnly) {
      for (String json : values(scan(ERROR_PREFIX + "*"))) {
        JsonNode n = EventJson.parse(json);
        String base = EventJson.text(n, "base_id");
        if (base != null) {
          earliest(first, base, EventJson.text(n, "timestamp"));
        }
      }
      return sorted(first);
    }
    for (String json : values(scan(LEGACY_PREFIX + "*"))) {
      JsonNode n = EventJson.parse(json);
      String base = EventJson.text(n, "base_id");
      if (base != null) {
        earliest(first, base, EventJson.text(n, "timestamp"));
      }
    }
    // OSProfiler's `trace list` shows, for each osprofiler_opt:<base_id> list, the event at index
    // 1 (LINDEX key 1): with events pushed newest first, not the earliest one. Weft shows the same,
    // so that both tools list the same ids and timestamps; a list of one event shows that event
    // (OSProfiler cannot list it at all).
    List<String> keys = scan(PREFIX + "*");
    List<List<Response<String>>> probes = new ArrayList<>(keys.size());
    try (AbstractPipeline p = redis().pipelined()) {
      for (String k : keys) {
        probes.add(List.of(p.lindex(k, 1), p.lindex(k, 0)));
      }
      p.sync();
    }
    for (int i = 0; i < keys.size(); i++) {
      String base = keys.get(i).substring(PREFIX.length());
      String ts = null;
      for (Response<String> r : probes.get(i)) {
        try {
          String json = r.get();
          if (json != null) {
            ts = EventJson.timestamp(json);
            break;
          }
        } catch (RuntimeException wrongType) {
          // not a list: not OSProfiler's
        }
      }
      if (!first.containsKey(base) || first.get(base) == null) {
        first.put(base, ts);
      }
    }
    return sorted(first);
  }

  private static void earliest(Map<String, String> first, String base, String ts) {
    String old = first.get(base);
    if (!first.containsKey(base) || (ts != null && (old == null || ts.compareTo(old) < 0))) {
      first.put(base, ts);
    }
  }

  private static List<TraceSummary> sorted(Map<String, String> first) {
    List<TraceSummary> out = new ArrayList<>();
    first.forEach((b, t) -> out.add(new TraceSummary(b, t)));
    out.sort(
        Comparator.comparing(
                TraceSummary::timestamp, Comparator.nullsLast(Comparator.<String>naturalOrder()))
            .thenComparing(TraceSummary::baseId));
    return out;
  }

  /**
   * The events of one trace in the order OSProfiler's report reads them: the legacy
   * one-key-per-event layout in SCAN order, then the {@code osprofiler_opt:<base_id>} list as
   * {@code LRANGE 0 -1} gives it (newest first). The report builder's output depends on this order
   * (the key order inside {@code info}, siblings that start in the same millisecond), so it is not
   * sorted.
   */
  @Override
  public List<String> events(String baseId) {
    List<String> legacy = new ArrayList<>();
    for (String key : scan(LEGACY_PREFIX + glob(baseId) + "_*")) {
      legacy.add(key);
    }
    List<String> out = new ArrayList<>();
    for (String json : values(legacy)) {
      // The key pattern also matches a base_id that merely starts with this one plus "_".
      if (baseId.equals(EventJson.text(EventJson.parse(json), "base_id"))) {
        out.add(json);
      }
    }
    try {
      out.addAll(redis().lrange(PREFIX + baseId, 0, -1));
    } catch (redis.clients.jedis.exceptions.JedisDataException wrongType) {
      // not a list: not OSProfiler's
    }
    return out;
  }

  private List<String> scan(String pattern) {
    List<String> keys = new ArrayList<>();
    ScanParams params = new ScanParams().match(pattern).count(SCAN_COUNT);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> r = redis().scan(cursor, params);
      keys.addAll(r.getResult());
      cursor = r.getCursor();
    } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    return new ArrayList<>(new java.util.LinkedHashSet<>(keys)); // SCAN may repeat a key
  }

  /** The string values of the keys (GET); keys that vanished or hold another type are skipped. */
  private List<String> values(List<String> keys) {
    List<String> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i += MGET_CHUNK) {
      List<String> chunk = keys.subList(i, Math.min(keys.size(), i + MGET_CHUNK));
      for (String v : redis().mget(chunk.toArray(new String[0]))) {
        if (v != null) {
          out.add(v);
        }
      }
    }
    return out;
  }

  /** Escapes Redis glob characters so an id matches only itself. */
  static String glob(String s) {
    StringBuilder b = new StringBuilder(s.length() + 4);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  @Override
  public void close() {
    Client r;
    Connection c;
    synchronized (this) {
      r = redis;
      redis = null;
      c = held;
      held = null;
    }
    if (c != null) {
      try {
        c.close();
      } catch (RuntimeException ignored) {
        // closing anyway
      }
    }
    if (r != null) {
      r.close();
    }
  }
}
