package dev.weft.internal.pipeline;

/**
 * A minimal JSON writer with Python's {@code json.dumps} spacing ({@code ", "} and {@code ": "}),
 * so the events Weft stores are byte-identical in shape to OSProfiler's. Used off the application
 * thread only.
 */
public final class JsonWriter {
  private final StringBuilder sb;
  private boolean first = true;

  public JsonWriter(StringBuilder sb) {
    this.sb = sb;
  }

  public JsonWriter beginObject() {
    sb.append('{');
    first = true;
    return this;
  }

  public JsonWriter endObject() {
    sb.append('}');
    first = false;
    return this;
  }

  /** Starts a member whose value is an object: {@code "name": {}. */
  public JsonWriter beginObject(String name) {
    name(name);
    sb.append('{');
    first = true;
    return this;
  }

  public JsonWriter name(String name) {
    if (!first) {
      sb.append(", ");
    }
    first = false;
    string(name);
    sb.append(": ");
    return this;
  }

  /** A string member; a null value is written as JSON {@code null}. */
  public JsonWriter field(String name, String value) {
    name(name);
    if (value == null) {
      sb.append("null");
    } else {
      string(value);
    }
    return this;
  }

  public JsonWriter field(String name, long value) {
    name(name);
    sb.append(value);
    return this;
  }

  public JsonWriter field(String name, boolean value) {
    name(name);
    sb.append(value);
    return this;
  }

  /** Appends already-encoded JSON as a member's value. */
  public JsonWriter rawField(String name, String json) {
    name(name);
    sb.append(json);
    return this;
  }

  private void string(String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        default:
          if (c < 0x20 || c > 0x7e) {
            // Python's json.dumps default (ensure_ascii=True) escapes every non-ASCII char.
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /** Encodes one string as a JSON string literal. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    new JsonWriter(b).string(s);
    return b.toString();
  }
}
