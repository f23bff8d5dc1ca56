package dev.weft.instrumentation.mongodb;

import com.mongodb.MongoNamespace;
import com.mongodb.internal.bulk.DeleteRequest;
import com.mongodb.internal.bulk.InsertRequest;
import com.mongodb.internal.bulk.UpdateRequest;
import com.mongodb.internal.bulk.WriteRequest;
import com.mongodb.internal.connection.InternalConnection;
import com.mongodb.internal.operation.AggregateOperation;
import com.mongodb.internal.operation.BaseFindAndModifyOperation;
import com.mongodb.internal.operation.CountDocumentsOperation;
import com.mongodb.internal.operation.CountOperation;
import com.mongodb.internal.operation.DistinctOperation;
import com.mongodb.internal.operation.FindAndUpdateOperation;
import com.mongodb.internal.operation.FindOperation;
import com.mongodb.internal.operation.MixedBulkWriteOperation;
import com.mongodb.internal.operation.ReadOperation;
import com.mongodb.internal.operation.WriteOperation;
import dev.weft.internal.context.InfoShape;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import dev.weft.internal.pipeline.JsonWriter;
import dev.weft.internal.tracing.Checkout;
import dev.weft.internal.tracing.Render;
import dev.weft.internal.tracing.ScrubbingShape;
import dev.weft.internal.tracing.Spans;
import dev.weft.spi.TraceCategory;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The plain-Java side of {@code MongoAspect}: one span named {@code mongodb} per user operation
 * (find, insert, update, delete, aggregate, count, distinct, findAndModify, ...), taken at the
 * driver's {@code OperationExecutor.execute}.
 *
 * <p>Start info: {@code {"db": {"system": "mongodb", "namespace": <database>, "collection": <name>,
 * "operation": <command name>, "statement": <filter / documents / pipeline>}}} where every value in
 * the statement is replaced by {@code "?"}: field names and operators stay, values never reach the
 * trace. A cursor's {@code getMore} is not a span of its own: the span covers the command and its
 * first batch.
 */
final class MongoTracing {
  private MongoTracing() {}

  static final InfoShape SHAPE =
      new ScrubbingShape() {
        @Override
        public void start(SpanRecord r, JsonWriter w) {
          w.beginObject("db");
          w.field("system", "mongodb");
          if (r.a != null) {
            w.field("namespace", r.a);
          }
          if (r.b != null) {
            w.field("collection", r.b);
          }
          w.field("operation", r.c);
          if (r.d != null) {
            w.field("statement", r.d);
          }
          w.endObject();
        }

        @Override
        public String category() {
          return "mongodb";
        }
      };

  /** Opens the span for a read operation, or returns null when not traced. */
  static SpanRecord start(ReadOperation<?, ?> op) {
    try {
      return op == null || ThreadContext.active(TraceCategory.MONGODB) == null
          ? null
          : open(op, op.getCommandName(), op.getNamespace());
    } catch (Throwable e) {
      Spans.failed("mongodb", e);
      return null;
    }
  }

  /** Opens the span for a write operation, or returns null when not traced. */
  static SpanRecord start(WriteOperation<?> op) {
    try {
      return op == null || ThreadContext.active(TraceCategory.MONGODB) == null
          ? null
          : open(op, op.getCommandName(), op.getNamespace());
    } catch (Throwable e) {
      Spans.failed("mongodb", e);
      return null;
    }
  }

  private static SpanRecord open(Object op, String command, MongoNamespace ns) {
    ThreadContext c = ThreadContext.active(TraceCategory.MONGODB);
    if (c == null) {
      return null;
    }
    SpanRecord r;
    try {
      r = c.push("mongodb", SHAPE);
    } catch (Throwable e) {
      Spans.failed("mongodb", e);
      return null;
    }
    if (r != null) {
      try {
        describe(r, command, ns, statement(op));
      } catch (Throwable e) {
        Spans.failed("mongodb", e);
        r.c = r.c == null ? "unknown" : r.c;
      }
    }
    return r;
  }

  private static void describe(SpanRecord r, String command, MongoNamespace ns, String statement) {
    r.c = command;
    if (ns != null) {
      r.a = ns.getDatabaseName();
      r.b = ns.getCollectionName();
    }
    r.d = statement;
  }

  /** The pool a checkout came from: the server address of the connection it returned. */
  static final Checkout.PoolName POOL =
      source ->
          source instanceof InternalConnection
              ? "mongodb://"
                  + ((InternalConnection) source).getDescription().getServerAddress().toString()
              : "mongodb";

  static String statement(Object op) {
    if (op instanceof FindOperation) {
      return redact(((FindOperation<?>) op).getFilter());
    } else if (op instanceof AggregateOperation) {
      return redactAll(((AggregateOperation<?>) op).getPipeline());
    } else if (op instanceof CountDocumentsOperation) {
      return redact(((CountDocumentsOperation) op).getFilter());
    } else if (op instanceof CountOperation) {
      return redact(((CountOperation) op).getFilter());
    } else if (op instanceof DistinctOperation) {
      return redact(((DistinctOperation<?>) op).getFilter());
    } else if (op instanceof FindAndUpdateOperation) {
      FindAndUpdateOperation<?> f = (FindAndUpdateOperation<?>) op;
      return "{\"filter\": "
          + redact(f.getFilter())
          + ", \"update\": "
          + redact(f.getUpdate())
          + "}";
    } else if (op instanceof BaseFindAndModifyOperation) {
      return redact(((BaseFindAndModifyOperation<?>) op).getFilter());
    } else if (op instanceof MixedBulkWriteOperation) {
      return writes(((MixedBulkWriteOperation) op).getWriteRequests());
    }
    return null;
  }

  private static String writes(List<? extends WriteRequest> requests) {
    if (requests == null || requests.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    if (requests.size() > 1) {
      sb.append('[');
    }
    int i = 0;
    for (WriteRequest w : requests) {
      if (i > 0) {
        sb.append(", ");
      }
      if (i == MAX_ELEMENTS) {
        sb.append("\"...\"");
        break;
      }
      if (w instanceof InsertRequest) {
        redact(((InsertRequest) w).getDocument(), sb);
      } else if (w instanceof UpdateRequest) {
        UpdateRequest u = (UpdateRequest) w;
        sb.append("{\"filter\": ");
        redact(u.getFilter(), sb);
        sb.append(", \"update\": ");
        redact(u.getUpdateValue(), sb);
        sb.append('}');
      } else if (w instanceof DeleteRequest) {
        redact(((DeleteRequest) w).getFilter(), sb);
      } else {
        sb.append("\"?\"");
      }
      i++;
    }
    if (requests.size() > 1) {
      sb.append(']');
    }
    return Render.bound(sb.toString());
  }

  private static final int MAX_ELEMENTS = 32;
  private static final int MAX_DEPTH = 16;

  /** A document with every value replaced by {@code "?"}, in json.dumps spacing; null for null. */
  static String redact(BsonValue v) {
    if (v == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    redact(v, sb);
    return Render.bound(sb.toString());
  }

  private static String redactAll(List<BsonDocument> docs) {
    if (docs == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    redact(new BsonArray(docs), sb);
    return Render.bound(sb.toString());
  }

  private static void redact(BsonValue v, StringBuilder sb) {
    redact(v, sb, 0);
  }

  private static void redact(BsonValue v, StringBuilder sb, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (depth > MAX_DEPTH) {
      sb.append("\"?\"");
    } else if (v.isDocument()) {
      sb.append('{');
      int i = 0;
      for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
        if (i > 0) {
          sb.append(", ");
        }
        if (i == MAX_ELEMENTS) {
          sb.append("\"...\": \"?\"");
          break;
        }
        sb.append(JsonWriter.quote(e.getKey())).append(": ");
        redact(e.getValue(), sb, depth + 1);
        i++;
      }
      sb.append('}');
    } else if (v.isArray()) {
      sb.append('[');
      int i = 0;
      for (BsonValue e : v.asArray()) {
        if (i > 0) {
          sb.append(", ");
        }
        if (i == MAX_ELEMENTS) {
          sb.append("\"...\"");
          break;
        }
        redact(e, sb, depth + 1);
        i++;
      }
      sb.append(']');
    } else {
      sb.append("\"?\"");
    }
  }
}
