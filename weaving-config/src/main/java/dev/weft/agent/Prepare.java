package dev.weft.agent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * {@code -Dweft.agent.prepare=true}: weaving ahead of the first start. Instead of running the
 * application, the agent loads, without initialising them, the classes of the system class path
 * (its jars and the jars their manifests' {@code Class-Path} names) that a weaving configuration
 * includes, so that the weaver weaves each one and the agent keeps it, and then ends the JVM. The
 * same command without the property then finds every such class kept and starts no weaver.
 *
 * <p>Meant for a container image: run the service's own command once with the property while the
 * image is built (it needs none of the service's databases or peers, since the application does not
 * start), and the first start of every container from the image is a start again. Classes of other
 * loaders (a web application's, Spring Boot's nested jars) are not prepared; they are woven at
 * their first start as without it.
 */
final class Prepare {
  private static final System.Logger LOG = System.getLogger("dev.weft");

  private Prepare() {}

  /** Prepares the system class path through {@code weaver}; returns the JVM's exit status. */
  static int run(CachedWeaver weaver) {
    ClassLoader system = ClassLoader.getSystemClassLoader();
    WovenStore store = weaver == null ? null : weaver.store(system);
    if (store != null && store.weavesNothing()) {
      LOG.log(
          System.Logger.Level.INFO,
          "weft-agent: weft.agent.prepare: no weaving configuration on this class path includes a"
              + " class (no driver of an integration is on it), so there is nothing to prepare;"
              + " the application was not started");
      return 0;
    }
    if (store == null || !store.keeps()) {
      LOG.log(
          System.Logger.Level.ERROR,
          "weft-agent: weft.agent.prepare: nothing can be kept for this class path ("
              + (weaver == null
                  ? "weft.agent.cache=false, or no directory of its own"
                  : "a directory of classes on it, a jar a manifest's Class-Path names that is"
                      + " missing, or a configuration named by"
                      + " org.aspectj.weaver.loadtime.configuration")
              + "), so nothing is prepared");
      return 1;
    }
    int loaded = 0;
    List<String> failed = new ArrayList<>();
    for (Path jar : classPathJars(System.getProperty("java.class.path"))) {
      for (String name : classes(jar)) {
        if (!store.candidate(name)) {
          continue;
        }
        try {
          Class.forName(name, false, system);
          loaded++;
        } catch (LinkageError | ClassNotFoundException e) {
          failed.add(name + " (" + e + ")"); // an optional dependency it names is missing
        }
      }
    }
    LOG.log(
        System.Logger.Level.INFO,
        "weft-agent: weft.agent.prepare: "
            + loaded
            + " included classes loaded, "
            + weaver.kept()
            + " kept (woven, or read and left as they were) in "
            + store.directory()
            + (failed.isEmpty()
                ? ""
                : "; " + failed.size() + " could not be loaded, first " + failed.get(0))
            + "; the application was not started"
            + (loaded == 0
                ? " (no class of this class path is included: classes of other loaders, a web"
                    + " application's or Spring Boot's nested jars, are woven at their first start)"
                : ""));
    return 0;
  }

  /** The jars of a class path and, transitively, of their manifests' Class-Path. */
  static Set<Path> classPathJars(String classPath) {
    Set<Path> jars = new LinkedHashSet<>();
    for (String e : classPath.split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        add(Path.of(e).toAbsolutePath(), jars);
      }
    }
    return jars;
  }

  private static void add(Path jar, Set<Path> jars) {
    if (!Files.isRegularFile(jar) || !jars.add(jar)) {
      return;
    }
    try {
      for (Path ref : WovenStore.manifestClassPath(jar)) {
        if (ref != null) {
          add(ref, jars);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "weft-agent: " + jar + " not read: " + e);
    }
  }

  /** The binary names of a jar's classes (not those under META-INF/, nor module-info). */
  static List<String> classes(Path jar) {
    List<String> out = new ArrayList<>();
    try (JarFile f = new JarFile(jar.toFile())) {
      Enumeration<JarEntry> entries = f.entries();
      while (entries.hasMoreElements()) {
        String n = entries.nextElement().getName();
        if (n.endsWith(".class")
            && !n.startsWith("META-INF/")
            && !n.endsWith("module-info.class")
            && !n.endsWith("package-info.class")) {
          out.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "weft-agent: " + jar + " not read: " + e);
    }
    return out;
  }
}
