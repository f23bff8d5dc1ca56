package dev.weft.internal.context;

/**
 * One span as recorded on the application thread: plain mutable fields, reused. A thread's open
 * spans live in its {@link ThreadContext} stack; a finished span is copied into a slot of the
 * collection ring buffer, which is also a {@code SpanRecord}.
 *
 * <p>What a category records goes into the generic slots {@code a..f}, {@code n} and {@code
 * status}; its {@link InfoShape} turns them into the event's {@code info} map off the application
 * thread.
 */
public class SpanRecord {
  /** The context whose stack holds this record (null for ring slots and copies); not copied. */
  ThreadContext owner;

  public String name;
  public InfoShape shape;
  public String baseId;

  /**
   * The service this span is stamped with, when it differs from the process-wide {@code
   * weft.service} (e.g. one servlet context of several in a JVM); null = the process's.
   */
  public String service;

  /** Parent id as text, when the parent lies outside this thread's stack; else null. */
  public String parentText;

  public long parentHi;
  public long parentLo;
  public long idHi;
  public long idLo;
  public long startTick;
  public long stopTick;

  public String a;
  public String b;
  public String c;
  public String d;
  public String e;
  public String f;
  public Object extra;
  public long n;
  public int status;

  public String etype;
  public String message;

  /**
   * Members added to the start info with {@code Trace.annotate}, whatever the span's shape; null
   * when none. A fresh map per span: the record handed to the collector keeps its own.
   */
  public java.util.Map<String, String> annotations;

  /** Clears what a category may have set, before reuse. */
  public final void clearInfo() {
    a = b = c = d = e = f = null;
    extra = null;
    n = 0;
    status = 0;
    etype = null;
    message = null;
    annotations = null;
  }

  /** Copies every recorded field from {@code o}. */
  public final void copyFrom(SpanRecord o) {
    name = o.name;
    shape = o.shape;
    baseId = o.baseId;
    service = o.service;
    parentText = o.parentText;
    parentHi = o.parentHi;
    parentLo = o.parentLo;
    idHi = o.idHi;
    idLo = o.idLo;
    startTick = o.startTick;
    stopTick = o.stopTick;
    a = o.a;
    b = o.b;
    c = o.c;
    d = o.d;
    e = o.e;
    f = o.f;
    extra = o.extra;
    n = o.n;
    status = o.status;
    etype = o.etype;
    message = o.message;
    annotations = o.annotations;
  }

  /**
   * Records an exception as OSProfiler does: the simple class name and the message, the message
   * bounded by {@code weft.max_value_length}.
   */
  public final void error(Throwable t) {
    etype = t.getClass().getSimpleName();
    String m = t.getMessage();
    message = m == null ? "" : dev.weft.internal.tracing.Render.bound(m);
  }

  /**
   * The approximate heap this span holds while it waits in the queue: a fixed part for the record
   * and its ids, plus two bytes per character of every string it refers to. What a byte budget
   * counts; cheap enough to compute per span (no traversal but of the annotations).
   */
  public final long approxBytes() {
    long n = 192;
    n += len(a) + len(b) + len(c) + len(d) + len(e) + len(f) + len(message) + len(parentText);
    if (extra instanceof String[]) {
      for (String s : (String[]) extra) {
        n += 16 + len(s);
      }
    } else if (extra instanceof String) {
      n += len((String) extra);
    }
    if (annotations != null) {
      for (java.util.Map.Entry<String, String> en : annotations.entrySet()) {
        n += 48 + len(en.getKey()) + len(en.getValue());
      }
    }
    return n;
  }

  private static long len(String s) {
    return s == null ? 0 : 40L + 2L * s.length();
  }

  public final String idText() {
    return Ids.format(idHi, idLo);
  }

  public final String parentIdText() {
    return parentText != null ? parentText : Ids.format(parentHi, parentLo);
  }
}
