package dev.weft.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * What the weaver made of each class one class loader offered it, kept on disk for the next JVM
 * that starts the same application: a class's woven bytes (or that it was left as it was) and the
 * classes the weaver generated for it ({@code $AjcClosure}s of {@code around} advice).
 *
 * <p>A store is named by a fingerprint of everything the weaving result depends on besides the
 * class's own bytes: the JVM's version, the loader and its parents with every jar on their class
 * paths (path, size, modification time; a jar's manifest {@code Class-Path} too), and the content
 * of every load-time weaving configuration ({@code META-INF/aop.xml}, ...) the loader sees. A
 * rebuilt jar, another aspect or another JVM is another store. An entry is used only for the exact
 * bytes it was made from (length and CRC-32C), and only when its own checksum holds. A loader whose
 * class path cannot be fingerprinted this way (a directory of classes, a loader that is not a
 * {@link URLClassLoader}) gets no store: its classes are woven at every start, as without the
 * cache.
 *
 * <p>The weaver only ever changes classes its configurations' {@code <include>}s name; {@link
 * #candidate} answers that from the configurations' text, so that the classes no include names pass
 * without the weaver and without a lookup.
 */
final class WovenStore {
  private static final int MAGIC = 0x57454654; // "WEFT"
  private static final int FORMAT = 1;
  private static final String[] CONFIGURATIONS = {
    "META-INF/aop.xml", "META-INF/aop-ajc.xml", "org/aspectj/aop.xml"
  };
  private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
  private static final Pattern INCLUDE =
      Pattern.compile("<include\\s+within\\s*=\\s*\"([A-Za-z0-9_$.]+?)(\\.\\.\\*|\\.\\*)?\"\\s*/>");
  private static final Pattern ANY_INCLUDE = Pattern.compile("<include\\b");

  /** A class as the weaver left it: its bytes (null: unchanged) and the classes made for it. */
  record Entry(byte[] woven, Map<String, byte[]> generated) {}

  /** Where entries are kept; null: nowhere (the loader cannot be fingerprinted). */
  private final Path dir;

  /** Binary-name prefixes ({@code a.b.}) and exact names the includes name; null: every class. */
  private final List<String> prefixes;

  private final List<String> exact;

  private WovenStore(Path dir, List<String> prefixes, List<String> exact) {
    this.dir = dir;
    this.prefixes = prefixes;
    this.exact = exact;
  }

  /**
   * The store for {@code loader} under {@code root}: one that keeps nothing when the loader's
   * weaving result cannot be fingerprinted (see the class comment), but still knows the candidates.
   */
  static WovenStore open(Path root, ClassLoader loader) throws IOException {
    if (System.getProperty("org.aspectj.weaver.loadtime.configuration") != null) {
      return new WovenStore(null, null, null); // a configuration named elsewhere: not read here
    }
    StringBuilder fp = new StringBuilder("format ").append(FORMAT).append('\n');
    fp.append("jvm ").append(System.getProperty("java.vm.version")).append('\n');
    boolean kept = fingerprint(loader, fp);
    List<String> prefixes = new ArrayList<>();
    List<String> exact = new ArrayList<>();
    boolean everyClass = false;
    int includes = 0;
    int configurations = 0;
    for (String name : CONFIGURATIONS) {
      Enumeration<URL> found = loader.getResources(name);
      while (found.hasMoreElements()) {
        URL url = found.nextElement();
        configurations++;
        byte[] text;
        try (InputStream in = url.openStream()) {
          text = in.readAllBytes();
        }
        CRC32C crc = new CRC32C();
        crc.update(text);
        fp.append("configuration ").append(url).append(' ').append(crc.getValue()).append('\n');
        String xml = COMMENT.matcher(new String(text, StandardCharsets.UTF_8)).replaceAll("");
        Matcher m = INCLUDE.matcher(xml);
        int simple = 0;
        while (m.find()) {
          simple++;
          if (m.group(2) == null) {
            exact.add(m.group(1));
          } else {
            prefixes.add(m.group(1) + ".");
          }
        }
        int all = 0;
        for (Matcher a = ANY_INCLUDE.matcher(xml); a.find(); ) {
          all++;
        }
        everyClass |= all != simple; // an include this reading does not follow: ask the weaver
        includes += all;
      }
    }
    if (configurations == 0) {
      return new WovenStore(null, List.of(), List.of()); // no weaving here: nothing is a candidate
    }
    everyClass |= includes == 0; // no include at all: the weaver looks at every class
    Path store = null;
    if (kept) {
      store = root.resolve(sha256(fp.toString()));
      Files.createDirectories(store);
    }
    return everyClass ? new WovenStore(store, null, null) : new WovenStore(store, prefixes, exact);
  }

  /**
   * Appends the loader and its parents, with their class paths, to {@code fp}; false when they
   * cannot be told apart from a changed class path this way.
   */
  private static boolean fingerprint(ClassLoader loader, StringBuilder fp) throws IOException {
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (l == ClassLoader.getPlatformClassLoader()) {
        return true;
      }
      fp.append("loader ").append(l.getClass().getName()).append(' ').append(l.getName());
      fp.append('\n');
      if (l == ClassLoader.getSystemClassLoader()) {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
          if (!e.isEmpty() && !stat(Path.of(e).toAbsolutePath(), fp, true)) {
            return false;
          }
        }
      } else if (l instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          fp.append("url ").append(url).append('\n');
          Path outer = outerFile(url.toString());
          if (outer == null || !stat(outer, fp, false)) {
            return false;
          }
        }
      } else {
        return false;
      }
    }
    return true;
  }

  /** Whether the weaver may change the class of this binary name ({@code a.b.C$D}). */
  boolean candidate(String binaryName) {
    if (prefixes == null) {
      return true;
    }
    for (String p : prefixes) {
      if (binaryName.startsWith(p)) {
        return true;
      }
    }
    for (String e : exact) {
      if (binaryName.equals(e)
          || binaryName.startsWith(e) && binaryName.charAt(e.length()) == '$') {
        return true;
      }
    }
    return false;
  }

  /** Whether no weaving configuration includes any class here (none is visible to the loader). */
  boolean weavesNothing() {
    return prefixes != null && prefixes.isEmpty() && exact.isEmpty();
  }

  /** Where the entries are kept (null: nowhere). */
  Path directory() {
    return dir;
  }

  /** Whether what the weaver makes here is kept (the loader could be fingerprinted). */
  boolean keeps() {
    return dir != null;
  }

  /** The entry made from exactly these bytes, or null (none, another version, damaged). */
  Entry read(String binaryName, byte[] original) {
    if (dir == null) {
      return null;
    }
    Path f = dir.resolve(fileName(binaryName));
    byte[] data;
    try {
      data = Files.readAllBytes(f);
    } catch (IOException e) {
      return null; // none kept (NoSuchFileException) or unreadable: weave
    }
    if (data.length < 8) {
      return null;
    }
    CRC32C whole = new CRC32C();
    whole.update(data, 0, data.length - 8);
    try (DataInputStream in =
        new DataInputStream(new java.io.ByteArrayInputStream(data, 0, data.length))) {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT || !binaryName.equals(in.readUTF())) {
        return null;
      }
      if (in.readInt() != original.length || in.readLong() != crc(original)) {
        return null;
      }
      int n = in.readInt();
      byte[] woven = n < 0 ? null : in.readNBytes(n);
      int count = in.readInt();
      Map<String, byte[]> generated = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        generated.put(name, in.readNBytes(in.readInt()));
      }
      if (in.readLong() != whole.getValue()) {
        return null;
      }
      return new Entry(woven, generated);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Keeps what the weaver made of {@code original}; written whole or not at all. */
  void write(String binaryName, byte[] original, byte[] woven, Map<String, byte[]> generated)
      throws IOException {
    if (dir == null) {
      return;
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream(original.length * 2 + 64);
    DataOutputStream out = new DataOutputStream(buf);
    out.writeInt(MAGIC);
    out.writeInt(FORMAT);
    out.writeUTF(binaryName);
    out.writeInt(original.length);
    out.writeLong(crc(original));
    out.writeInt(woven == null ? -1 : woven.length);
    if (woven != null) {
      out.write(woven);
    }
    out.writeInt(generated.size());
    for (Map.Entry<String, byte[]> g : generated.entrySet()) {
      out.writeUTF(g.getKey());
      out.writeInt(g.getValue().length);
      out.write(g.getValue());
    }
    out.flush();
    CRC32C whole = new CRC32C();
    whole.update(buf.toByteArray());
    out.writeLong(whole.getValue());
    out.flush();
    Path tmp = Files.createTempFile(dir, "entry", ".tmp"); // 0600 where permissions exist
    try {
      Files.write(tmp, buf.toByteArray());
      try {
        Files.move(tmp, dir.resolve(fileName(binaryName)), StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir.resolve(fileName(binaryName)), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String fileName(String binaryName) {
    return binaryName.length() <= 200 ? binaryName + ".woven" : sha256(binaryName) + ".woven";
  }

  private static long crc(byte[] b) {
    CRC32C c = new CRC32C();
    c.update(b);
    return c.getValue();
  }

  /**
   * Appends a class path element's size and time; false when it cannot stand for its content (a
   * directory, whose time does not change with the classes below it).
   */
  private static boolean stat(Path p, StringBuilder fp, boolean manifest) throws IOException {
    if (!Files.isRegularFile(p)) {
      return false;
    }
    fp.append("file ")
        .append(p)
        .append(' ')
        .append(Files.size(p))
        .append(' ')
        .append(Files.getLastModifiedTime(p).toMillis())
        .append('\n');
    if (manifest) {
      for (Path ref : manifestClassPath(p)) {
        if (ref == null || !stat(ref, fp, false)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The files a jar's manifest {@code Class-Path} names, resolved against the jar's directory, in
   * order; null for an entry that names no file. Empty when it has none.
   */
  static List<Path> manifestClassPath(Path jar) throws IOException {
    List<Path> out = new ArrayList<>();
    try (JarFile f = new JarFile(jar.toFile())) {
      Manifest m = f.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (cp != null) {
        for (String e : cp.trim().split("\\s+")) {
          out.add(outerFile(jar.getParent().toUri().resolve(e).toString()));
        }
      }
    }
    return out;
  }

  /**
   * The file a class path URL reads from: {@code file:/a.jar}, the outer jar of {@code
   * jar:file:/a.jar!/...} or of Spring Boot's {@code jar:nested:/a.jar/!BOOT-INF/lib/b.jar!/}.
   */
  static Path outerFile(String url) {
    String s = url;
    if (s.startsWith("jar:")) {
      s = s.substring(4);
    }
    int bang = s.indexOf('!');
    if (bang >= 0) {
      s = s.substring(0, bang);
    }
    if (s.startsWith("nested:")) {
      s = "file:" + s.substring("nested:".length());
      if (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
    }
    if (!s.startsWith("file:")) {
      return null;
    }
    try {
      return Path.of(java.net.URI.create(s));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
