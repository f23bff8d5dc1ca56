package dev.weft.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * {@code -javaagent:weft-agent.jar}: the one flag a service needs for Weft's driver integrations.
 *
 * <p>The agent jar carries the AspectJ weaver, Weft's core, the {@code @Traced}/JDBC aspect
 * libraries and the collectors (their own dependencies relocated under {@code dev.weft.shaded}),
 * all on the system class path as any agent jar is. Each driver integration (servlet, jedis,
 * mongodb, hibernate, hikaricp, tomcat-jdbc, commons-pool2) is a jar nested under {@code
 * weft-inst/}: its aspect and handler name driver types, so they must be defined by the class
 * loader that holds the driver. The agent adds an integration's jar to that loader: to the system
 * class path when the driver is there (a plain class path or a fat jar), else to the first {@link
 * URLClassLoader} that can see the driver and whose parents cannot (Spring Boot's nested-jar
 * loader, a Tomcat or Jetty web app), before that loader's first class is woven. The jar brings its
 * own {@code META-INF/aop.xml}, so the weaver applies the integration's aspects exactly there.
 *
 * <p>At start it logs one line: its version, whether tracing is enabled, and which integrations
 * found their driver; later additions to other loaders are logged once each.
 */
public final class WeftAgent {
  private static final System.Logger LOG = System.getLogger("dev.weft");
  private static final String NESTED = "weft-inst/";

  private static volatile boolean started;

  private WeftAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst);
  }

  /** An integration nested in the agent jar. */
  static final class Integration {
    final String name;
    final String requires;
    final String marker;
    final Path jar;

    Integration(String name, String requires, Path jar) {
      this.name = name;
      this.requires = requires.replace('.', '/') + ".class";
      this.marker = "META-INF/weft/" + name + ".properties";
      this.jar = jar;
    }
  }

  static synchronized void start(String args, Instrumentation inst) {
    if (started) {
      return;
    }
    started = true;
    List<Integration> integrations;
    String version = "(unknown version)";
    Path dir = null;
    try {
      Path agent = agentJar();
      version = version(agent);
      dir = ownDirectory(agent);
      integrations = unpack(agent, dir);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "weft-agent: cannot read its integrations: " + e);
      integrations = List.of();
    }
    Injector injector = new Injector(integrations, inst);
    List<String> found = injector.addToSystemLoader();
    inst.addTransformer(injector);
    CachedWeaver cached = startWeaver(args, inst, dir);
    List<String> waiting = new ArrayList<>();
    for (Integration i : integrations) {
      if (!found.contains(i.name)) {
        waiting.add(i.name);
      }
    }
    LOG.log(
        System.Logger.Level.INFO,
        "weft-agent "
            + version
            + ": enabled="
            + enabledAtStart()
            + ", integrations with their driver: "
            + (found.isEmpty() ? "none" : String.join(", ", found))
            + (waiting.isEmpty()
                ? ""
                : "; added later to the class loader that holds the driver, if one does: "
                    + String.join(", ", waiting)));
    if (Boolean.getBoolean("weft.agent.prepare")) {
      System.exit(Prepare.run(cached)); // after the line above: it names what is prepared
    }
  }

  /**
   * Registers the weaver: behind {@link CachedWeaver} when {@code weft.agent.cache} (default true)
   * and the agent's own directory allow (and returns it), else AspectJ's agent as it ships.
   */
  private static CachedWeaver startWeaver(String args, Instrumentation inst, Path dir) {
    if (dir != null && !"false".equalsIgnoreCase(System.getProperty("weft.agent.cache"))) {
      CachedWeaver w = new CachedWeaver(args, inst, dir.resolve("woven"));
      inst.addTransformer(w);
      return w;
    }
    inst.addTransformer(CachedWeaver.startWeaver(args, inst));
    return null;
  }

  /**
   * What {@code weft.enabled} resolves to now, from the same sources Weft reads (system properties,
   * environment, {@code weft.config} or {@code weft.properties} on the system class path); a file
   * only a child loader sees (a Spring Boot jar's {@code BOOT-INF/classes}) is read later, by Weft.
   */
  private static String enabledAtStart() {
    try {
      dev.weft.internal.config.WeftConfig c =
          dev.weft.internal.config.WeftConfig.resolve(
              Map.of(), System.getProperties(), System::getenv, new ArrayList<>());
      return c.bool(dev.weft.internal.config.Key.ENABLED)
          ? "true"
          : "false (set weft.enabled=true)";
    } catch (RuntimeException | LinkageError e) {
      return "unknown (" + e + ")";
    }
  }

  static String version(Path agent) throws IOException {
    try (JarFile jar = new JarFile(agent.toFile())) {
      java.util.jar.Manifest m = jar.getManifest();
      String v = m == null ? null : m.getMainAttributes().getValue("Implementation-Version");
      return v == null ? "(unknown version)" : v;
    }
  }

  /**
   * The agent jar: the one named by {@code weft.agent.path} (set by a launcher that started this
   * agent from a copy of its own), else the jar this class was loaded from.
   */
  static Path agentJar() throws IOException {
    String named = System.getProperty("weft.agent.path");
    if (named != null && !named.isBlank()) {
      return Path.of(named);
    }
    try {
      return Path.of(WeftAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException | SecurityException e) {
      throw new IOException("cannot locate weft-agent.jar: " + e);
    }
  }

  /**
   * Copies the nested integration jars to a directory of their own (named after the agent jar's
   * size and time, so a second JVM reuses it) and reads each one's {@code
   * META-INF/weft/<name>.properties}.
   */
  static List<Integration> unpack(Path agent, Path dir) throws IOException {
    List<Integration> out = new ArrayList<>();
    try (JarFile jar = new JarFile(agent.toFile())) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry e = entries.nextElement();
        String n = e.getName();
        if (!n.startsWith(NESTED) || !n.endsWith(".jar")) {
          continue;
        }
        Path target = dir.resolve(n.substring(NESTED.length()));
        if (!Files.exists(target)
            || Files.size(target) != e.getSize()
            || crc32(target) != e.getCrc()) {
          Path tmp = Files.createTempFile(dir, "part", ".tmp");
          try (InputStream in = jar.getInputStream(e)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          }
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        out.add(describe(target));
      }
    }
    return out;
  }

  /**
   * The agent's directory in {@code java.io.tmpdir}, named after the agent jar's size and time (a
   * second JVM of the same agent reuses what the first unpacked and wove). It is made readable and
   * writable by this user alone; one that exists already is used only if this user owns it and no
   * one else may write to it, else the JVM gets a fresh directory of its own.
   */
  static Path ownDirectory(Path agent) throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    String name =
        "weft-agent-" + Files.size(agent) + "-" + Files.getLastModifiedTime(agent).toMillis();
    Path dir = tmp.resolve(name);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (!posix) {
      Files.createDirectories(dir);
      return dir;
    }
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      return dir;
    } catch (FileAlreadyExistsException e) {
      Set<PosixFilePermission> perms =
          Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      boolean mine =
          Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
              && Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS)
                  .getName()
                  .equals(System.getProperty("user.name"))
              && !perms.contains(PosixFilePermission.GROUP_WRITE)
              && !perms.contains(PosixFilePermission.OTHERS_WRITE);
      if (mine) {
        return dir;
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "weft-agent: " + dir + " is not this user's own directory; using a new one");
      return Files.createTempDirectory(tmp, name + "-");
    }
  }

  private static long crc32(Path file) throws IOException {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(Files.readAllBytes(file));
    return crc.getValue();
  }

  private static Integration describe(Path nested) throws IOException {
    try (JarFile j = new JarFile(nested.toFile())) {
      Enumeration<JarEntry> entries = j.entries();
      while (entries.hasMoreElements()) {
        JarEntry e = entries.nextElement();
        if (e.getName().startsWith("META-INF/weft/") && e.getName().endsWith(".properties")) {
          Properties p = new Properties();
          try (InputStream in = j.getInputStream(e)) {
            p.load(in);
          }
          return new Integration(p.getProperty("name"), p.getProperty("requires"), nested);
        }
      }
    }
    throw new IOException(nested + " has no META-INF/weft/*.properties");
  }

  /**
   * Adds integrations to the class loaders that hold their drivers: the system loader at start, any
   * other loader the first time it defines a class (before the weaver, registered after this
   * transformer, looks at that class).
   */
  static final class Injector implements ClassFileTransformer {
    private final List<Integration> integrations;
    private final Instrumentation inst;
    private final Map<ClassLoader, Set<String>> added = new WeakHashMap<>();
    private final Map<ClassLoader, Boolean> seen = new WeakHashMap<>();
    private final ThreadLocal<Boolean> busy = new ThreadLocal<>();

    /** The loader of the last class seen (weakly: an undeployed web app's loader can go). */
    private volatile java.lang.ref.WeakReference<ClassLoader> last =
        new java.lang.ref.WeakReference<>(null);

    private Method addUrl;

    Injector(List<Integration> integrations, Instrumentation inst) {
      this.integrations = integrations;
      this.inst = inst;
    }

    List<String> addToSystemLoader() {
      ClassLoader system = ClassLoader.getSystemClassLoader();
      List<String> names = new ArrayList<>();
      Set<String> done = new java.util.HashSet<>();
      for (Integration i : integrations) {
        if (system.getResource(i.requires) == null) {
          continue;
        }
        names.add(i.name);
        done.add(i.name);
        if (system.getResource(i.marker) != null) {
          continue; // the application ships this integration on its class path itself
        }
        try {
          inst.appendToSystemClassLoaderSearch(new JarFile(i.jar.toFile()));
        } catch (IOException e) {
          LOG.log(System.Logger.Level.WARNING, "weft-agent: " + i.name + " not added: " + e);
        }
      }
      synchronized (this) {
        added.put(system, done);
        seen.put(system, Boolean.TRUE);
      }
      return names;
    }

    @Override
    public byte[] transform(
        ClassLoader loader,
        String className,
        Class<?> redefined,
        ProtectionDomain domain,
        byte[] bytes) {
      // Design note: this runs for every class the JVM defines. Nearly all of them come from a
      // loader seen before, most from the same one as the class before: that one is answered by a
      // single field read, the others by one lookup under the lock.
      if (loader == null || loader == last.get() || redefined != null || busy.get() != null) {
        return null;
      }
      synchronized (this) {
        last = new java.lang.ref.WeakReference<>(loader);
        if (seen.put(loader, Boolean.TRUE) != null) {
          return null;
        }
      }
      busy.set(Boolean.TRUE);
      try {
        inject(loader);
      } catch (Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "weft-agent: " + e);
      } finally {
        busy.remove();
      }
      return null;
    }

    private void inject(ClassLoader loader) {
      if (loader == ClassLoader.getPlatformClassLoader()) {
        return;
      }
      List<String> names = new ArrayList<>();
      Set<String> done = new java.util.HashSet<>();
      for (Integration i : integrations) {
        if (inAncestor(loader, i.name)
            || loader.getResource(i.requires) == null
            || loader.getResource(i.marker) != null) {
          continue;
        }
        if (!(loader instanceof URLClassLoader)) {
          LOG.log(
              System.Logger.Level.WARNING,
              "weft-agent: "
                  + i.name
                  + " is not traced in "
                  + loader.getClass().getName()
                  + ": only class loaders derived from URLClassLoader can take it");
          continue;
        }
        try {
          addUrl().invoke(loader, i.jar.toUri().toURL());
          done.add(i.name);
          names.add(i.name);
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "weft-agent: " + i.name + " not added: " + e);
        }
      }
      synchronized (this) {
        added.put(loader, done);
      }
      if (!names.isEmpty()) {
        LOG.log(
            System.Logger.Level.INFO,
            "weft-agent: " + String.join(", ", names) + " added to " + loader.getClass().getName());
      }
    }

    private synchronized boolean inAncestor(ClassLoader loader, String name) {
      for (ClassLoader l = loader.getParent(); l != null; l = l.getParent()) {
        Set<String> s = added.get(l);
        if (s != null && s.contains(name)) {
          return true;
        }
      }
      return false;
    }

    private Method addUrl() throws ReflectiveOperationException {
      if (addUrl == null) {
        Module base = URLClassLoader.class.getModule();
        inst.redefineModule(
            base,
            Set.of(),
            Map.of(),
            Map.of("java.net", Set.of(WeftAgent.class.getModule())),
            Set.of(),
            Map.of());
        Method m = URLClassLoader.class.getDeclaredMethod("addURL", URL.class);
        m.setAccessible(true);
        addUrl = m;
      }
      return addUrl;
    }
  }
}
