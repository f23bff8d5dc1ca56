package dev.weft.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A child process's CPU time by thread group, read from Linux's {@code /proc/<pid>/task/*}: each
 * thread's user + system clock ticks ({@code stat} fields 14 and 15), grouped by its name ({@code
 * comm}) with the digits replaced by {@code N} ({@code qtpN-N} for Jetty's pool, {@code GC
 * Thread#N}, {@code weft-collector}). Where there is no {@code /proc} it reads nothing, and the
 * benchmark prints no breakdown.
 */
final class ThreadCpu {
  private ThreadCpu() {}

  /** Clock ticks per second of {@code /proc}'s times (USER_HZ: 100 on Linux). */
  static final int TICKS_PER_SECOND = 100;

  /**
   * One thread's group name, the ticks it has used so far and its time on a CPU in nanoseconds
   * ({@code schedstat}'s first field, -1 where it cannot be read).
   */
  record Ticks(String group, long ticks, long nanos) {}

  /** The ticks used so far by each live thread of {@code pid}, by thread id. */
  static Map<String, Ticks> snapshot(long pid) {
    Map<String, Ticks> out = new TreeMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return out;
    }
    try (Stream<Path> s = Files.list(tasks)) {
      for (Path t : (Iterable<Path>) s::iterator) {
        try {
          String name = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).strip();
          String stat = Files.readString(t.resolve("stat"), StandardCharsets.UTF_8);
          // After the name in parentheses (which may hold spaces): fields 3.. of proc(5).
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
          long nanos = schedNanos(t);
          out.put(
              t.getFileName().toString(), new Ticks(name.replaceAll("\\d+", "N"), ticks, nanos));
        } catch (IOException | RuntimeException gone) {
          // the thread ended while it was read
        }
      }
    } catch (IOException e) {
      return new TreeMap<>();
    }
    return out;
  }

  private static long schedNanos(Path task) {
    try {
      String s = Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII).strip();
      return Long.parseLong(s.substring(0, s.indexOf(' ')));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Nanoseconds on a CPU between two snapshots, by thread group ({@code schedstat}: exact, where
   * the ticks are 10 ms); a thread that started meanwhile counts from 0, one that ended is not
   * counted. Empty when {@code schedstat} cannot be read.
   */
  static Map<String, Long> nanosByGroup(Map<String, Ticks> before, Map<String, Ticks> after) {
    Map<String, Long> byGroup = new TreeMap<>();
    for (Map.Entry<String, Ticks> e : after.entrySet()) {
      if (e.getValue().nanos() < 0) {
        return new TreeMap<>();
      }
      Ticks was = before.get(e.getKey());
      long d = e.getValue().nanos() - (was == null || was.nanos() < 0 ? 0 : was.nanos());
      byGroup.merge(e.getValue().group(), d, Long::sum);
    }
    return byGroup;
  }

  /** The JIT's thread groups: the C1 and C2 compiler threads and the code cache sweeper. */
  static final java.util.Set<String> JIT = java.util.Set.of("CN CompilerThre", "Sweeper thread");

  /**
   * CPU nanoseconds used between two snapshots by the threads outside {@code groups}, or -1 when
   * the snapshots are empty (no {@code /proc}).
   */
  static long nanosWithout(
      Map<String, Ticks> before, Map<String, Ticks> after, java.util.Set<String> groups) {
    if (after.isEmpty()) {
      return -1;
    }
    long ticks = 0;
    for (Map.Entry<String, Ticks> e : after.entrySet()) {
      if (!groups.contains(e.getValue().group())) {
        Ticks was = before.get(e.getKey());
        ticks += e.getValue().ticks() - (was == null ? 0 : was.ticks());
      }
    }
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }

  /**
   * Ticks per thread group between two snapshots (a thread that started meanwhile counts from 0),
   * most first, as "group µs" per request.
   */
  static String perRequest(Map<String, Ticks> before, Map<String, Ticks> after, long requests) {
    Map<String, Long> byGroup = new TreeMap<>();
    for (Map.Entry<String, Ticks> e : after.entrySet()) {
      Ticks was = before.get(e.getKey());
      long d = e.getValue().ticks() - (was == null ? 0 : was.ticks());
      byGroup.merge(e.getValue().group(), d * (1_000_000_000L / TICKS_PER_SECOND), Long::sum);
    }
    return perRequest(byGroup, requests);
  }

  /** Nanoseconds per thread group, most first, as "group µs" per request. */
  static String perRequest(Map<String, Long> nanosByGroup, long requests) {
    StringBuilder b = new StringBuilder();
    nanosByGroup.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
        .forEach(
            e ->
                b.append(b.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append(' ')
                    .append(String.format("%.1f", e.getValue() / 1000.0 / requests)));
    return b.toString();
  }
}
