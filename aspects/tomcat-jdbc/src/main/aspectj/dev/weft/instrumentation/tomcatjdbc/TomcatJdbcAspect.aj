package dev.weft.instrumentation.tomcatjdbc;

import dev.weft.aspects.WeftPointcuts;
import dev.weft.internal.config.Switches;
import dev.weft.spi.TraceCategory;
import dev.weft.internal.tracing.Checkout;
import dev.weft.internal.tracing.Rethrow;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * Connection checkout from the Tomcat JDBC connection pool (category {@code pooling}, tomcat-jdbc
 * 11.0, load-time woven): {@code DataSourceProxy.getConnection()}, the method of its {@code
 * DataSource} that applications and Hibernate call. The pool's name is the pool's {@code name}
 * property. See {@link Checkout}.
 */
public aspect TomcatJdbcAspect {

  /** The pool's name: its {@code name} property (tomcat-jdbc generates one when none is set). */
  static final Checkout.PoolName POOL =
      ds -> {
        String n = ((DataSourceProxy) ds).getName();
        return n == null ? "DataSource" : n;
      };

  pointcut checkout(DataSourceProxy ds):
      execution(java.sql.Connection org.apache.tomcat.jdbc.pool.DataSourceProxy.getConnection())
      && this(ds) && WeftPointcuts.notWithinWeft();

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(DataSourceProxy ds): checkout(ds) && if(Switches.pooling) {
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
  after() returning: staticinitialization(org.apache.tomcat.jdbc.pool.DataSourceProxy)
      && WeftPointcuts.notWithinWeft() {
    TraceCategory.markWoven("pooling");
  }
}
