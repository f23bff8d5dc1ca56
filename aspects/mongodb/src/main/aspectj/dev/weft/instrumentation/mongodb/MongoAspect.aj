package dev.weft.instrumentation.mongodb;

import com.mongodb.internal.operation.ReadOperation;
import com.mongodb.internal.operation.WriteOperation;
import dev.weft.aspects.WeftPointcuts;
import dev.weft.internal.config.Switches;
import dev.weft.spi.TraceCategory;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.tracing.Checkout;
import dev.weft.internal.tracing.Rethrow;
import dev.weft.internal.tracing.Spans;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * MongoDB (mongodb-driver-sync 5.x, load-time woven; 4.11 does not match these join points). Category {@code mongodb}: one span
 * per user operation at the driver's {@code OperationExecutor.execute}; only the overloads taking a
 * {@code ClientSession} are matched (the shorter ones delegate to them), so each operation is one
 * join point. Category {@code pooling}: the driver's connection checkout, {@code
 * DefaultConnectionPool.get(OperationContext)}. See {@link MongoTracing} for what is recorded.
 */
public aspect MongoAspect {

  pointcut readOperation(ReadOperation op):
      execution(* com.mongodb.client.internal.OperationExecutor+.execute(
              ReadOperation, com.mongodb.ReadPreference, com.mongodb.ReadConcern,
              com.mongodb.client.ClientSession))
      && args(op, ..) && WeftPointcuts.notWithinWeft();

  pointcut writeOperation(WriteOperation op):
      execution(* com.mongodb.client.internal.OperationExecutor+.execute(
              WriteOperation, com.mongodb.ReadConcern, com.mongodb.client.ClientSession))
      && args(op, ..) && WeftPointcuts.notWithinWeft();

  pointcut checkout():
      execution(* com.mongodb.internal.connection.DefaultConnectionPool.get(
              com.mongodb.internal.connection.OperationContext))
      && WeftPointcuts.notWithinWeft();

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(ReadOperation op): readOperation(op) && if(Switches.mongodb) {
    SpanRecord s = MongoTracing.start(op);
    Throwable thrown = null;
    try {
      return proceed(op);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(WriteOperation op): writeOperation(op) && if(Switches.mongodb) {
    SpanRecord s = MongoTracing.start(op);
    Throwable thrown = null;
    try {
      return proceed(op);
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Spans.end(s, thrown);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(): checkout() && if(Switches.pooling) {
    long t0 = Checkout.begin();
    Object c = null;
    Throwable thrown = null;
    try {
      return c = proceed();
    } catch (Throwable t) {
      throw Rethrow.as(thrown = t);
    } finally {
      Checkout.end(t0, c, thrown, MongoTracing.POOL);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  after() returning: staticinitialization(com.mongodb.client.internal.OperationExecutor+)
      && WeftPointcuts.notWithinWeft() {
    TraceCategory.markWoven("mongodb");
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  after() returning: staticinitialization(com.mongodb.internal.connection.DefaultConnectionPool)
      && WeftPointcuts.notWithinWeft() {
    TraceCategory.markWoven("pooling");
  }
}
