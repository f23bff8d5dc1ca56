package dev.weft.instrumentation.commonspool2;

import dev.weft.aspects.WeftPointcuts;
import dev.weft.internal.config.Switches;
import dev.weft.spi.TraceCategory;
import dev.weft.internal.tracing.Checkout;
import dev.weft.internal.tracing.Rethrow;
import javax.management.ObjectName;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * Object checkout from commons-pool2 (category {@code pooling}, commons-pool2 2.12+, load-time
 * woven; JedisPool is one): {@code GenericObjectPool.borrowObject(Duration)}, which the other
 * overloads call. The pool's name is the {@code name} of its JMX name when it is registered (set it
 * with {@code jmxNamePrefix}), else the pool's class name. See {@link Checkout}.
 */
public aspect CommonsPoolAspect {

  static final Checkout.PoolName POOL =
      pool -> {
        ObjectName jmx = ((GenericObjectPool<?>) pool).getJmxName();
        String n = jmx == null ? null : jmx.getKeyProperty("name");
        return n != null ? n : pool.getClass().getSimpleName();
      };

  pointcut checkout(GenericObjectPool pool):
      execution(* org.apache.commons.pool2.impl.GenericObjectPool.borrowObject(java.time.Duration))
      && this(pool) && WeftPointcuts.notWithinWeft();

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(GenericObjectPool pool): checkout(pool) && if(Switches.pooling) {
    long t0 = Checkout.begin();
    Throwable thrown = null;
    try {
      return proceed(pool);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Checkout.end(t0, pool, thrown, POOL);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  after() returning: staticinitialization(org.apache.commons.pool2.impl.GenericObjectPool)
      && WeftPointcuts.notWithinWeft() {
    TraceCategory.markWoven("pooling");
  }
}
