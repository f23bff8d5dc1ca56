package dev.weft.aspects;

import com.mongodb.internal.operation.ReadOperation;
import com.mongodb.internal.operation.WriteOperation;
import dev.weft.internal.config.Switches;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.tracing.MongoTracing;
import dev.weft.internal.tracing.Rethrow;

/**
 * MongoDB (category {@code mongodb}, mongodb-driver-sync 5.x, load-time woven): one span per user
 * operation at the driver's {@code OperationExecutor.execute}. Only the overloads taking a {@code
 * ClientSession} are matched: the shorter ones delegate to them, so each operation is one join
 * point. See {@link MongoTracing} for what is recorded.
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

  Object around(ReadOperation op): readOperation(op) && if(Switches.mongodb) {
    SpanRecord s = MongoTracing.start(op);
    if (s == null) {
      return proceed(op);
    }
    try {
      return proceed(op);
    } catch (Throwable t) {
      MongoTracing.error(s, t);
      throw Rethrow.as(t);
    } finally {
      MongoTracing.stop(s);
    }
  }

  Object around(WriteOperation op): writeOperation(op) && if(Switches.mongodb) {
    SpanRecord s = MongoTracing.start(op);
    if (s == null) {
      return proceed(op);
    }
    try {
      return proceed(op);
    } catch (Throwable t) {
      MongoTracing.error(s, t);
      throw Rethrow.as(t);
    } finally {
      MongoTracing.stop(s);
    }
  }
}
