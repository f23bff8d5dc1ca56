package dev.weft.instrumentation.jedis;

import dev.weft.aspects.WeftPointcuts;
import dev.weft.internal.config.Switches;
import dev.weft.spi.TraceCategory;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.tracing.Rethrow;
import dev.weft.internal.tracing.Spans;
import org.aspectj.lang.annotation.SuppressAjWarnings;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;

/**
 * Redis through Jedis (category {@code redis}, Jedis 5.2 to 7.x, load-time woven): one span per
 * command. {@code executeCommand} covers a command and its reply; {@code sendCommand} outside it is
 * a pipelined or transaction command. See {@link JedisTracing}.
 */
public aspect JedisAspect {

  pointcut executeObject(CommandObject cmd):
      execution(* redis.clients.jedis.Connection.executeCommand(CommandObject))
      && args(cmd) && WeftPointcuts.notWithinWeft();

  pointcut executeArguments(CommandArguments args):
      execution(* redis.clients.jedis.Connection.executeCommand(CommandArguments))
      && args(args) && WeftPointcuts.notWithinWeft();

  pointcut send(CommandArguments args):
      execution(void redis.clients.jedis.Connection.sendCommand(CommandArguments))
      && args(args) && WeftPointcuts.notWithinWeft();

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(CommandObject cmd): executeObject(cmd) && if(Switches.redis) {
    SpanRecord s = JedisTracing.call(cmd);
    Throwable thrown = null;
    try {
      return proceed(cmd);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(CommandArguments args): executeArguments(args) && if(Switches.redis) {
    SpanRecord s = JedisTracing.call(args);
    Throwable thrown = null;
    try {
      return proceed(args);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  void around(CommandArguments args): send(args) && if(Switches.redis) {
    SpanRecord s = JedisTracing.send(args);
    Throwable thrown = null;
    try {
      proceed(args);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  after() returning: staticinitialization(redis.clients.jedis.Connection)
      && WeftPointcuts.notWithinWeft() {
    TraceCategory.markWoven("redis");
  }
}
