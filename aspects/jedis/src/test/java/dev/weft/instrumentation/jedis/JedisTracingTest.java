package dev.weft.instrumentation.jedis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/** What a Redis span records of a command: its name and first key, never a value. */
class JedisTracingTest {
  @Test
  void recordsTheCommandAndItsFirstKey_neverAValue() {
    CommandArguments set = new CommandArguments(Protocol.Command.SET).key("user:1").add("S3CR3T");
    assertThat(JedisTracing.name(set.getCommand())).isEqualTo("SET");
    assertThat(JedisTracing.firstKey(set)).isEqualTo("user:1");
    CommandArguments mget = new CommandArguments(Protocol.Command.MGET).key("a").key("b");
    assertThat(JedisTracing.firstKey(mget)).isEqualTo("a");
    assertThat(JedisTracing.firstKey(new CommandArguments(Protocol.Command.PING))).isNull();
    assertThat(JedisTracing.name(null)).isEqualTo("UNKNOWN");
  }

  @Test
  void theConnectionHandshakeIsNotACommandOfTheApplication() {
    assertThat(
            JedisTracing.isHandshake(
                Protocol.Command.HELLO, new CommandArguments(Protocol.Command.HELLO)))
        .isTrue();
    assertThat(
            JedisTracing.isHandshake(
                Protocol.Command.AUTH, new CommandArguments(Protocol.Command.AUTH)))
        .isTrue();
    CommandArguments setName =
        new CommandArguments(Protocol.Command.CLIENT).add("SETNAME").add("x");
    assertThat(JedisTracing.isHandshake(Protocol.Command.CLIENT, setName)).isTrue();
    CommandArguments list = new CommandArguments(Protocol.Command.CLIENT).add("LIST");
    assertThat(JedisTracing.isHandshake(Protocol.Command.CLIENT, list)).isFalse();
    assertThat(
            JedisTracing.isHandshake(
                Protocol.Command.GET, new CommandArguments(Protocol.Command.GET).key("k")))
        .isFalse();
  }
}
