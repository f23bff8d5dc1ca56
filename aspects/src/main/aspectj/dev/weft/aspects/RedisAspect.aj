package dev.weft.aspects;

import dev.weft.internal.config.Switches;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.tracing.RedisTracing;
import dev.weft.internal.tracing.Rethrow;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;

/**
 * Redis (category {@code redis}, Jedis 7.x/8.x, load-time woven): one span per command. {@code
 * executeCommand} covers a command and its reply; {@code sendCommand} outside it is a pipelined or
 * transaction command. See {@link RedisTracing}.
 */
public aspect RedisAspect {

  pointcut executeObject(CommandObject cmd):
      execution(* redis.clients.jedis.Connection.executeCommand(CommandObject))
      && args(cmd) && WeftPointcuts.notWithinWeft();

  pointcut executeArguments(CommandArguments args):
      execution(* redis.clients.jedis.Connection.executeCommand(CommandArguments))
      && args(args) && WeftPointcuts.notWithinWeft();

  pointcut send(CommandArguments args):
      execution(void redis.clients.jedis.Connection.sendCommand(CommandArguments))
      && args(args) && WeftPointcuts.notWithinWeft();

  Object around(CommandObject cmd): executeObject(cmd) && if(Switches.redis) {
    SpanRecord s = RedisTracing.call(cmd == null ? null : cmd.getArguments());
    if (s == null) {
      return proceed(cmd);
    }
    try {
      return proceed(cmd);
    } catch (Throwable t) {
      RedisTracing.error(s, t);
      throw Rethrow.as(t);
    } finally {
      RedisTracing.stop(s);
    }
  }

  Object around(CommandArguments args): executeArguments(args) && if(Switches.redis) {
    SpanRecord s = RedisTracing.call(args);
    if (s == null) {
      return proceed(args);
    }
    try {
      return proceed(args);
    } catch (Throwable t) {
      RedisTracing.error(s, t);
      throw Rethrow.as(t);
    } finally {
      RedisTracing.stop(s);
    }
  }

  void around(CommandArguments args): send(args) && if(Switches.redis) {
    SpanRecord s = RedisTracing.send(args);
    if (s == null) {
      proceed(args);
      return;
    }
    try {
      proceed(args);
    } catch (Throwable t) {
      RedisTracing.error(s, t);
      throw Rethrow.as(t);
    } finally {
      RedisTracing.stop(s);
    }
  }
}
