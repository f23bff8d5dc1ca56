package dev.weft.aspects;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.internal.config.Switches;
import dev.weft.internal.tracing.PoolingTracing;
import dev.weft.internal.tracing.Rethrow;
import org.apache.commons.pool2.impl.GenericObjectPool;

/**
 * Connection checkout (category {@code pooling}, load-time woven): HikariCP, commons-pool2 (used
 * by JedisPool) and the MongoDB driver's pool. A span is recorded after the checkout, only when the
 * wait reached {@code weft.pooling.min_wait_micros}; see {@link PoolingTracing}. Pool selection is
 * {@code @Traced(category = Category.POOLING)} on the application's selector ({@code
 * TracedAspect}, compile-time woven).
 *
 * <p>The three pointcuts are separate aspects' worth of driver types; aop.xml declares this aspect
 * with {@code requires} on each driver through {@link HikariCheckout}, {@link CommonsPoolCheckout}
 * and {@link MongoCheckout}.
 */
public aspect PoolingAspect {

  /** HikariCP: {@code HikariDataSource.getConnection()}. */
  public static aspect HikariCheckout {
    pointcut checkout(HikariDataSource ds):
        execution(java.sql.Connection com.zaxxer.hikari.HikariDataSource.getConnection())
        && this(ds) && WeftPointcuts.notWithinWeft();

    Object around(HikariDataSource ds): checkout(ds) && if(Switches.pooling) {
      long t0 = PoolingTracing.begin();
      Object c;
      try {
        c = proceed(ds);
      } catch (Throwable t) {
        PoolingTracing.hikari(t0, ds, t);
        throw Rethrow.as(t);
      }
      PoolingTracing.hikari(t0, ds, null);
      return c;
    }
  }

  /** commons-pool2: {@code GenericObjectPool.borrowObject(Duration)}, which the other overloads call. */
  public static aspect CommonsPoolCheckout {
    pointcut checkout(GenericObjectPool pool):
        execution(* org.apache.commons.pool2.impl.GenericObjectPool.borrowObject(java.time.Duration))
        && this(pool) && WeftPointcuts.notWithinWeft();

    Object around(GenericObjectPool pool): checkout(pool) && if(Switches.pooling) {
      long t0 = PoolingTracing.begin();
      Object o;
      try {
        o = proceed(pool);
      } catch (Throwable t) {
        PoolingTracing.commonsPool(t0, pool, t);
        throw Rethrow.as(t);
      }
      PoolingTracing.commonsPool(t0, pool, null);
      return o;
    }
  }

  /** MongoDB driver: {@code DefaultConnectionPool.get(OperationContext)}. */
  public static aspect MongoCheckout {
    pointcut checkout():
        execution(* com.mongodb.internal.connection.DefaultConnectionPool.get(
                com.mongodb.internal.connection.OperationContext))
        && WeftPointcuts.notWithinWeft();

    Object around(): checkout() && if(Switches.pooling) {
      long t0 = PoolingTracing.begin();
      Object c;
      try {
        c = proceed();
      } catch (Throwable t) {
        PoolingTracing.mongo(t0, null, t);
        throw Rethrow.as(t);
      }
      PoolingTracing.mongo(t0, c, null);
      return c;
    }
  }
}
