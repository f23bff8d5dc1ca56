package dev.weft.internal.tracing;

import dev.weft.internal.config.Switches;

/**
 * What a span records of a URL's query string. By default each parameter keeps its name and its
 * value becomes {@code ?} ({@code token=SECRET&page=2} → {@code token=?&page=?}), because query
 * strings often carry tokens and keys; {@code weft.http.query_values=true} records the query as
 * sent. A parameter without {@code =} is a name and is kept as it is.
 */
public final class Queries {
  private Queries() {}

  /** The query as a span records it now; {@code ""} for none. */
  public static String recorded(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    return Render.bound(Switches.httpQueryValues ? rawQuery : redact(rawQuery));
  }

  /** {@code rawQuery} with every parameter value replaced by {@code ?}. */
  public static String redact(String rawQuery) {
    StringBuilder b = new StringBuilder(rawQuery.length());
    boolean inValue = false;
    for (int i = 0; i < rawQuery.length(); i++) {
      char ch = rawQuery.charAt(i);
      if (ch == '&' || ch == ';') {
        inValue = false;
        b.append(ch);
      } else if (inValue) {
        continue;
      } else if (ch == '=') {
        inValue = true;
        b.append("=?");
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }
}
