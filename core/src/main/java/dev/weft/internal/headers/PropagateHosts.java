package dev.weft.internal.headers;

import dev.weft.internal.WeftRuntime;
import dev.weft.internal.config.Key;
import dev.weft.internal.config.WeftConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code weft.http.propagate_hosts}: which destinations of outgoing calls may receive the trace
 * headers. The signed pair can be replayed by whoever receives it (OSProfiler's headers carry no
 * expiry), so it goes only where it belongs; a call elsewhere is still traced, without headers.
 *
 * <p>A comma-separated list of: {@code internal} (the default: loopback and private addresses —
 * 10/8, 172.16/12, 192.168/16, 169.254/16, IPv6 loopback, link-local and unique-local — and host
 * names without a dot or ending in {@code .local}, {@code .internal}, {@code .localdomain}, {@code
 * .lan}, {@code .home.arpa}, {@code .svc} or {@code .cluster.local}); {@code *} (every host); a
 * host name or address; {@code .example.com} (that domain and its subdomains); an IPv4 range {@code
 * 203.0.113.0/24}. Names are compared as written in the URL: no name is resolved.
 */
public final class PropagateHosts {
  private static final List<String> INTERNAL_SUFFIXES =
      List.of(
          ".local", ".internal", ".localdomain", ".lan", ".home.arpa", ".svc", ".cluster.local");

  private record Rules(
      boolean all, boolean internal, List<String> hosts, List<String> suffixes, List<long[]> v4) {}

  private static volatile WeftConfig seen;
  private static volatile Rules rules;

  private PropagateHosts() {}

  /** Whether a call to {@code host} (as the URI has it) may carry the trace headers now. */
  public static boolean allows(String host) {
    WeftConfig c = WeftRuntime.config();
    if (c != seen) {
      rules = parse(c.string(Key.HTTP_PROPAGATE_HOSTS));
      seen = c;
    }
    return allows(rules, host);
  }

  static boolean allows(String spec, String host) {
    return allows(parse(spec), host);
  }

  private static boolean allows(Rules r, String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    if (r.all) {
      return true;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (r.hosts.contains(h)) {
      return true;
    }
    for (String s : r.suffixes) {
      if (h.endsWith(s) || h.equals(s.substring(1))) {
        return true;
      }
    }
    long v4 = ipv4(h);
    if (v4 >= 0) {
      for (long[] range : r.v4) {
        if ((v4 & range[1]) == range[0]) {
          return true;
        }
      }
    }
    return r.internal && internal(h, v4);
  }

  private static boolean internal(String h, long v4) {
    if (v4 >= 0) {
      return in(v4, "127.0.0.0", 8)
          || in(v4, "10.0.0.0", 8)
          || in(v4, "172.16.0.0", 12)
          || in(v4, "192.168.0.0", 16)
          || in(v4, "169.254.0.0", 16);
    }
    if (h.indexOf(':') >= 0) {
      try {
        InetAddress a = InetAddress.getByName(h); // an IPv6 literal: parsed, not looked up
        byte[] b = a.getAddress();
        return a.isLoopbackAddress()
            || a.isLinkLocalAddress()
            || (b.length == 16 && (b[0] & 0xfe) == 0xfc);
      } catch (java.net.UnknownHostException | SecurityException e) {
        return false;
      }
    }
    if (h.equals("localhost") || h.indexOf('.') < 0) {
      return true;
    }
    for (String s : INTERNAL_SUFFIXES) {
      if (h.endsWith(s)) {
        return true;
      }
    }
    return false;
  }

  private static boolean in(long addr, String net, int bits) {
    long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
    return (addr & mask) == (ipv4(net) & mask);
  }

  /** An IPv4 literal as a number, or -1. */
  static long ipv4(String s) {
    String[] p = s.split("\\.", -1);
    if (p.length != 4) {
      return -1;
    }
    long v = 0;
    for (String part : p) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return -1;
      }
      int n = Integer.parseInt(part);
      if (n > 255) {
        return -1;
      }
      v = (v << 8) | n;
    }
    return v;
  }

  private static Rules parse(String spec) {
    boolean all = false;
    boolean internal = false;
    List<String> hosts = new ArrayList<>();
    List<String> suffixes = new ArrayList<>();
    List<long[]> v4 = new ArrayList<>();
    for (String raw : (spec == null ? "" : spec).split(",")) {
      String t = raw.trim().toLowerCase(Locale.ROOT);
      if (t.isEmpty()) {
        continue;
      }
      if (t.equals("*")) {
        all = true;
      } else if (t.equals("internal")) {
        internal = true;
      } else if (t.startsWith(".")) {
        suffixes.add(t);
      } else if (t.indexOf('/') > 0) {
        String[] cidr = t.split("/", 2);
        long net = ipv4(cidr[0]);
        int bits;
        try {
          bits = Integer.parseInt(cidr[1]);
        } catch (NumberFormatException e) {
          continue;
        }
        if (net >= 0 && bits >= 0 && bits <= 32) {
          long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
          v4.add(new long[] {net & mask, mask});
        }
      } else {
        hosts.add(t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t);
      }
    }
    return new Rules(all, internal, List.copyOf(hosts), List.copyOf(suffixes), List.copyOf(v4));
  }
}
