package dev.weft.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.weft.Trace;
import dev.weft.TraceScope;
import dev.weft.Weft;
import dev.weft.internal.context.SpanRecord;
import dev.weft.internal.context.ThreadContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one end of every advice: null-safe, records what it can, and never throws. */
class SpansTest {
  static final class Hostile extends RuntimeException {
    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage() refuses");
    }

    @Override
    public String toString() {
      throw new IllegalStateException("toString() refuses");
    }
  }

  @BeforeAll
  static void on() {
    Weft.set("weft.connection_string", "memory://");
    Weft.set("weft.enabled", "true");
  }

  @AfterAll
  static void reset() {
    Weft.resetRuntimeChanges();
  }

  @Test
  void endOfNothingIsNothing() {
    assertThatCode(() -> Spans.end(null, new Hostile())).doesNotThrowAnyException();
    assertThatCode(() -> Spans.end(null, null)).doesNotThrowAnyException();
  }

  @Test
  void aHostileExceptionIsRecordedByItsTypeAndTheSpanStops() {
    long failuresBefore = Spans.failures();
    try (TraceScope t = Trace.begin("base-spans", null, null)) {
      SpanRecord r =
          ThreadContext.active().push("db", new dev.weft.internal.context.ManualShape("sql"));
      assertThat(ThreadContext.active().top()).isSameAs(r);
      assertThatCode(() -> Spans.end(r, new Hostile())).doesNotThrowAnyException();
      assertThat(r.etype).isEqualTo("Hostile");
      assertThat(r.message).isEmpty();
      assertThat(ThreadContext.active().top()).isNull();
    }
    assertThat(Spans.failures()).isEqualTo(failuresBefore + 1);
  }
}
