package dev.weft.instrumentation.hikaricp;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.aspects.WeftPointcuts;
import dev.weft.internal.config.Switches;
import dev.weft.spi.TraceCategory;
import dev.weft.internal.tracing.Checkout;
import dev.weft.internal.tracing.Rethrow;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * Connection checkout from HikariCP (category {@code pooling}, HikariCP 6.3 to 7.1, load-time
 * woven): {@code HikariDataSource.getConnection()}. A span is recorded after the checkout, only
 * when the wait reached {@code weft.pooling.min_wait_micros}; see {@link Checkout}. The pool's name
 * is HikariCP's {@code poolName}.
 */
public aspect HikariAspect {

  /** The pool's name: HikariCP's {@code poolName}. */
  static final Checkout.PoolName POOL =
      ds -> {
        String n = ((HikariDataSource) ds).getPoolName();
        return n == null ? "HikariDataSource" : n;
      };

  pointcut checkout(HikariDataSource ds):
      execution(java.sql.Connection com.zaxxer.hikari.HikariDataSource.getConnection())
      && this(ds) && WeftPointcuts.notWithinWeft();

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(HikariDataSource ds): checkout(ds) && if(Switches.pooling) {
    long t0 = Checkout.begin();
    Throwable thrown = null;
    try {
      return proceed(ds);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Checkout.end(t0, ds, thrown, POOL);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  after() returning: staticinitialization(com.zaxxer.hikari.HikariDataSource)
      && WeftPointcuts.notWithinWeft() {
    TraceCategory.markWoven("pooling");
  }
}
