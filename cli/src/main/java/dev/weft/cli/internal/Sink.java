package dev.weft.cli.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Where a view writes its text: either kept whole (for {@link #toString()}) or passed on to a
 * {@link Writer} in chunks, so that a large trace is never held as one string. A write that fails
 * is thrown as an {@link UncheckedIOException}.
 */
public final class Sink {
  private static final int CHUNK = 1 << 16;

  private final StringBuilder b;
  private final Writer out;
  private char last;
  private long written;

  /**
   * Writes what {@code view} produces to {@code file} (UTF-8), or, when {@code file} is null, to
   * {@code stdout}, ending there in a newline when {@code endLine} is set: the {@code --out FILE}
   * option of the commands. A failed write is thrown as the {@link IOException} it was.
   */
  static void emit(
      java.nio.file.Path file,
      java.io.PrintWriter stdout,
      boolean endLine,
      java.util.function.Consumer<Sink> view)
      throws IOException {
    if (file != null) {
      try (Writer w =
          java.nio.file.Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.UTF_8)) {
        Sink sink = new Sink(w);
        view.accept(sink);
        sink.flush();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    } else {
      Sink sink = new Sink(stdout);
      view.accept(sink);
      if (endLine && !sink.endsWithNewline()) {
        sink.append('\n');
      }
      sink.flush();
    }
  }

  /** A sink that keeps everything, for {@link #toString()}. */
  public Sink() {
    this.b = new StringBuilder(16384);
    this.out = null;
  }

  /** A sink that writes to {@code out}; {@link #flush()} passes on what is left. */
  public Sink(Writer out) {
    this.b = new StringBuilder(CHUNK + 4096);
    this.out = out;
  }

  public Sink append(String s) {
    b.append(s);
    return spill();
  }

  public Sink append(char c) {
    b.append(c);
    return spill();
  }

  public Sink append(long n) {
    b.append(n);
    return spill();
  }

  public Sink append(CharSequence s, int start, int end) {
    b.append(s, start, end);
    return spill();
  }

  /** The buffer, for code that appends to a {@link StringBuilder}; call {@link #spill()} after. */
  StringBuilder buffer() {
    return b;
  }

  /** Passes the buffer on to the writer once it holds a chunk. */
  Sink spill() {
    if (out != null && b.length() >= CHUNK) {
      drain();
    }
    return this;
  }

  private void drain() {
    if (b.length() == 0) {
      return;
    }
    last = b.charAt(b.length() - 1);
    written += b.length();
    try {
      out.write(b.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    b.setLength(0);
  }

  /** Whether the last character written is a line feed (false when nothing was written). */
  public boolean endsWithNewline() {
    if (b.length() > 0) {
      return b.charAt(b.length() - 1) == '\n';
    }
    return written > 0 && last == '\n';
  }

  /** Writes out what is buffered and flushes the writer. */
  public void flush() {
    if (out == null) {
      return;
    }
    drain();
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything written, for a sink without a writer. */
  @Override
  public String toString() {
    if (out != null) {
      throw new IllegalStateException("the text was written to a writer");
    }
    return b.toString();
  }
}
