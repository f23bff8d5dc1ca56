package dev.weft.instrumentation.jedis;

import dev.weft.internal.context.InfoShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.pipeline.JsonWriter;
import dev.weft.internal.tracing.Render;
import dev.weft.internal.tracing.Spans;
import dev.weft.spi.TraceCategory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * The plain-Java side of {@code JedisAspect}: one span named {@code redis} per command (Jedis 7.x
 * and 8.x).
 *
 * <p>Start info: {@code {"db": {"system": "redis", "operation": <command>, "key": <first key>}}}
 * ({@code key} absent for commands without one). Values and every other argument are never read.
 *
 * <p>A command sent and answered at once ({@code Connection.executeCommand}) is one span covering
 * the round trip. A pipelined or transaction command ({@code Connection.sendCommand} called by a
 * {@code Pipeline} or {@code Transaction}) is one span that ends when the command has been written
 * to the connection; its reply is read later, together with the others, by {@code sync()} or {@code
 * exec()} (whose {@code EXEC} is itself a span). The connection handshake ({@code HELLO}, {@code
 * AUTH}, {@code CLIENT SETINFO/SETNAME}) is not recorded.
 */
final class JedisTracing {
  private static final ConcurrentHashMap<ProtocolCommand, String> NAMES = new ConcurrentHashMap<>();

  private JedisTracing() {}

  /** Spans of commands sent and answered inside one join point. */
  static final InfoShape CALL = new Shape();

  /** Spans of commands only written (pipelines, transactions). */
  static final InfoShape SENT = new Shape();

  static final class Shape implements InfoShape {
    @Override
    public void start(SpanRecord r, JsonWriter w) {
      w.beginObject("db");
      w.field("system", "redis");
      w.field("operation", r.a);
      if (r.b != null) {
        w.field("key", r.b);
      }
      w.endObject();
    }

    @Override
    public String category() {
      return "redis";
    }
  }

  /** A command executed with its reply ({@code executeCommand}); null when not traced. */
  static SpanRecord call(CommandObject<?> cmd) {
    if (cmd == null || ThreadContext.active(TraceCategory.REDIS) == null) {
      return null;
    }
    try {
      return call(cmd.getArguments());
    } catch (Throwable e) {
      Spans.failed("jedis", e);
      return null;
    }
  }

  /** A command executed with its reply; null when not traced. */
  static SpanRecord call(CommandArguments args) {
    return open(args, CALL);
  }

  /**
   * A command written without waiting for its reply ({@code sendCommand}); null when not traced or
   * when the command is part of an {@code executeCommand} that already has its span.
   */
  static SpanRecord send(CommandArguments args) {
    return open(args, SENT);
  }

  private static SpanRecord open(CommandArguments args, InfoShape shape) {
    ThreadContext c = ThreadContext.active(TraceCategory.REDIS);
    if (c == null || args == null) {
      return null;
    }
    SpanRecord top = c.top();
    if (top != null && top.shape == CALL) {
      return null; // the send inside an executeCommand, or a nested call
    }
    try {
      ProtocolCommand cmd = args.getCommand();
      if (isHandshake(cmd, args)) {
        return null;
      }
      SpanRecord r = c.push("redis", shape);
      if (r != null) {
        r.a = name(cmd);
        r.b = firstKey(args);
      }
      return r;
    } catch (Throwable e) {
      Spans.failed("jedis", e);
      return null;
    }
  }

  static boolean isHandshake(ProtocolCommand cmd, CommandArguments args) {
    if (cmd == Protocol.Command.HELLO || cmd == Protocol.Command.AUTH) {
      return true;
    }
    if (cmd == Protocol.Command.CLIENT && args.size() > 1) {
      String sub = text(args.get(1));
      return "SETINFO".equalsIgnoreCase(sub) || "SETNAME".equalsIgnoreCase(sub);
    }
    return false;
  }

  static String name(ProtocolCommand cmd) {
    if (cmd == null) {
      return "UNKNOWN";
    }
    String n = NAMES.get(cmd);
    if (n == null) {
      byte[] raw = cmd.getRaw();
      n = raw == null ? String.valueOf(cmd) : new String(raw, StandardCharsets.UTF_8);
      if (NAMES.size() < 4096) {
        NAMES.put(cmd, n);
      }
    }
    return n;
  }

  static String firstKey(CommandArguments args) {
    List<Object> keys = args.getKeys();
    if (keys == null || keys.isEmpty()) {
      return null;
    }
    Object k = keys.get(0);
    String s;
    if (k instanceof byte[]) {
      s = new String((byte[]) k, StandardCharsets.UTF_8);
    } else if (k instanceof Rawable) {
      s = new String(((Rawable) k).getRaw(), StandardCharsets.UTF_8);
    } else {
      s = String.valueOf(k);
    }
    return Render.bound(s);
  }

  private static String text(Rawable r) {
    byte[] b = r == null ? null : r.getRaw();
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
