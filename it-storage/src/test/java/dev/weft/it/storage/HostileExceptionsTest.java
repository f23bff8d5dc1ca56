package dev.weft.it.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.client.MongoCollection;
import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.testing.RecordedSpan;
import java.util.List;
import java.util.UUID;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.bson.BsonReader;
import org.bson.BsonWriter;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistries;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.Rawable;

/**
 * In the load-time woven categories too, an application exception whose {@code getMessage()} throws
 * arrives at the caller as the very same instance, and the span records its type (with an empty
 * message): Hibernate ({@code sql}), Jedis ({@code redis}), the MongoDB driver ({@code mongodb})
 * and commons-pool2 ({@code pooling}).
 */
class HostileExceptionsTest {
  static SessionFactory factory;

  @BeforeAll
  static void setUp() {
    Spans.configure();
    factory = Databases.h2("weft-hostile");
  }

  @AfterAll
  static void tearDown() {
    factory.close();
    Spans.reset();
  }

  private static String traced(Runnable call) {
    String base = UUID.randomUUID().toString();
    try (TraceScope t = Trace.begin(base, null, null)) {
      call.run();
    }
    return base;
  }

  private static void failedWithTheHostileException(RecordedSpan s) {
    assertThat(s.stopInfo())
        .containsEntry("etype", "HostileException")
        .containsEntry("message", "");
  }

  @Test
  void sql_aPersistThatFails() {
    String base =
        traced(
            () -> {
              try (Session s = factory.openSession()) {
                s.beginTransaction();
                HostileException thrown =
                    assertThrows(
                        HostileException.class,
                        () -> s.persist(new Account(7001, Account.HOSTILE, "x")));
                assertSame(HostileException.ONE, thrown);
                s.getTransaction().rollback();
              }
            });
    List<RecordedSpan> persist = Spans.named(base, "hibernate");
    assertThat(persist).isNotEmpty();
    failedWithTheHostileException(persist.get(0));
  }

  @Test
  void redis_aCommandWhoseArgumentFails() {
    Rawable hostile =
        () -> {
          throw HostileException.ONE;
        };
    String base =
        traced(
            () -> {
              try (Jedis jedis = new Jedis("127.0.0.1", SharedServers.redisPort())) {
                Connection c = jedis.getConnection();
                CommandArguments args =
                    new CommandArguments(Protocol.Command.SET).key("k").add(hostile);
                HostileException thrown =
                    assertThrows(HostileException.class, () -> c.executeCommand(args));
                assertSame(HostileException.ONE, thrown);
              }
            });
    List<RecordedSpan> redis = Spans.named(base, "redis");
    assertThat(redis).hasSize(1);
    assertThat(redis.get(0).info())
        .isEqualTo(Spans.db(Spans.map("system", "redis", "operation", "SET", "key", "k")));
    failedWithTheHostileException(redis.get(0));
  }

  /** Documents whose codec fails with the hostile exception. */
  static final class Doc {}

  static final class FailingCodec implements Codec<Doc> {
    @Override
    public void encode(BsonWriter writer, Doc value, EncoderContext ctx) {
      throw HostileException.ONE;
    }

    @Override
    public Doc decode(BsonReader reader, DecoderContext ctx) {
      return new Doc();
    }

    @Override
    public Class<Doc> getEncoderClass() {
      return Doc.class;
    }
  }

  @Test
  void mongodb_anInsertWhoseEncodingFails() {
    MongoCollection<Doc> docs =
        SharedServers.mongoClient()
            .getDatabase("weftit")
            .getCollection("hostile", Doc.class)
            .withCodecRegistry(CodecRegistries.fromCodecs(new FailingCodec()));
    String base =
        traced(
            () -> {
              HostileException thrown =
                  assertThrows(HostileException.class, () -> docs.insertOne(new Doc()));
              assertSame(HostileException.ONE, thrown);
            });
    List<RecordedSpan> mongo = Spans.named(base, "mongodb");
    assertThat(mongo).hasSize(1);
    failedWithTheHostileException(mongo.get(0));
  }

  @Test
  void pooling_aCheckoutWhoseFactoryFails() throws Exception {
    try (GenericObjectPool<Object> pool =
        new GenericObjectPool<>(
            new BasePooledObjectFactory<>() {
              @Override
              public Object create() {
                throw HostileException.ONE;
              }

              @Override
              public PooledObject<Object> wrap(Object o) {
                return new DefaultPooledObject<>(o);
              }
            })) {
      String base =
          traced(
              () -> {
                HostileException thrown = assertThrows(HostileException.class, pool::borrowObject);
                assertSame(HostileException.ONE, thrown);
              });
      List<RecordedSpan> pooling = Spans.named(base, "pooling");
      assertThat(pooling).hasSize(1);
      assertThat(pooling.get(0).info()).containsKey("pooling");
      failedWithTheHostileException(pooling.get(0));
    }
  }
}
