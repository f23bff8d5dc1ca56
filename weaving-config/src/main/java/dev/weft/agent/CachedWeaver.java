package dev.weft.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Load-time weaving that starts the AspectJ weaver only when it has something to do.
 *
 * <p>Each class a loader defines is answered, in this order: a class no weaving configuration
 * includes is left as it is; a class woven by an earlier start of the same application (same bytes,
 * same class path, same aspects: {@link WovenStore}) gets that start's woven bytes, and the classes
 * the weaver generated for it are defined first, as the weaver does; any other class goes to the
 * weaver, which is started on the first such class, and what it makes is kept for the next start.
 * The weaver's own start (reading the aspects and building its type world in a JVM that is still
 * interpreting) is most of what load-time weaving adds to a service's start-up; an application
 * started again unchanged does not pay it.
 */
final class CachedWeaver implements ClassFileTransformer {
  private static final System.Logger LOG = System.getLogger("dev.weft");

  private final Instrumentation inst;
  private final String args;
  private final Path root;

  private final Map<ClassLoader, Object> stores = Collections.synchronizedMap(new WeakHashMap<>());

  private static final Object NO_STORE = new Object();

  /** The class being woven on this thread, collecting the classes generated for it. */
  private final ThreadLocal<Weaving> weaving = new ThreadLocal<>();

  /** Set while this thread defines the generated classes of a kept entry. */
  private final ThreadLocal<Boolean> defining = new ThreadLocal<>();

  private volatile ClassFileTransformer weaver;

  /** Set by the first entry that could not be written: only that one is a warning. */
  private final java.util.concurrent.atomic.AtomicBoolean writeFailed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private Method defineClass;

  /** Entries written by this JVM. */
  private final java.util.concurrent.atomic.AtomicInteger kept =
      new java.util.concurrent.atomic.AtomicInteger();

  private static final class Weaving {
    final ClassLoader loader;
    final Map<String, byte[]> generated = new LinkedHashMap<>();

    Weaving(ClassLoader loader) {
      this.loader = loader;
    }
  }

  /** Loaders whose weaver reports the classes it generates to this one (false: it cannot). */
  private final Map<ClassLoader, Boolean> hooked = Collections.synchronizedMap(new WeakHashMap<>());

  /** Whether {@code loader}'s weaver reports its generated classes here ({@link #hook}). */
  private boolean hooked(ClassLoader loader) {
    Boolean h = hooked.get(loader);
    if (h == null) {
      h = hook(loader); // outside any lock, as store(); hooking twice wraps once
      Boolean first = hooked.putIfAbsent(loader, h);
      h = first == null ? h : first;
    }
    return h;
  }

  /** The weaver's handler of generated classes, reporting each to the class being woven. */
  private final class Recorder implements org.aspectj.weaver.tools.GeneratedClassHandler {
    private final ClassLoader loader;
    private final org.aspectj.weaver.tools.GeneratedClassHandler defines;

    Recorder(ClassLoader loader, org.aspectj.weaver.tools.GeneratedClassHandler defines) {
      this.loader = loader;
      this.defines = defines;
    }

    @Override
    public void acceptClass(String name, byte[] original, byte[] made) {
      Weaving w = weaving.get();
      if (w != null && w.loader == loader) {
        w.generated.put(name.replace('/', '.'), made);
      }
      defines.acceptClass(name, original, made);
    }
  }

  /**
   * Starts the weaver for {@code loader} now (as its first class would) and has it report each
   * class it generates, before defining it, to the class being woven on that thread. The JVM does
   * not show classes defined during a transformation to any transformer, so this is the only place
   * they can be read. False when this weaver has no such place; then the loader's classes are woven
   * and not kept.
   */
  private boolean hook(ClassLoader loader) {
    try {
      Method get =
          Class.forName("org.aspectj.weaver.loadtime.Aj$WeaverContainer")
              .getDeclaredMethod(
                  "getWeaver",
                  ClassLoader.class,
                  Class.forName("org.aspectj.weaver.loadtime.IWeavingContext"));
      get.setAccessible(true);
      Object adaptor = get.invoke(null, loader, null);
      if (adaptor == null) {
        return true; // nothing to weave in this loader: nothing is generated
      }
      java.lang.reflect.Field f =
          org.aspectj.weaver.tools.WeavingAdaptor.class.getDeclaredField("generatedClassHandler");
      f.setAccessible(true);
      synchronized (adaptor) {
        Object defines = f.get(adaptor);
        if (defines == null) {
          return false;
        }
        if (!(defines instanceof Recorder)) {
          f.set(
              adaptor,
              new Recorder(loader, (org.aspectj.weaver.tools.GeneratedClassHandler) defines));
        }
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "weft-agent: the classes woven in "
              + loader.getClass().getName()
              + " are not kept, so every start weaves them again: "
              + e);
      return false;
    }
  }

  CachedWeaver(String args, Instrumentation inst, Path root) {
    this.args = args;
    this.inst = inst;
    this.root = root;
  }

  /** Starts the AspectJ weaver now, as without the cache (a retransformation, no store). */
  private ClassFileTransformer weaver() {
    ClassFileTransformer w = weaver;
    if (w == null) {
      synchronized (this) {
        w = weaver;
        if (w == null) {
          weaver = w = startWeaver(args, inst);
        }
      }
    }
    return w;
  }

  /**
   * Starts AspectJ's agent with an {@link Instrumentation} that hands its transformer to this one
   * instead of registering it: every call still goes to the JVM's instrumentation.
   */
  static ClassFileTransformer startWeaver(String args, Instrumentation inst) {
    try {
      SystemLoaderTypes.install();
    } catch (LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "weft-agent: " + e);
    }
    ClassFileTransformer[] captured = new ClassFileTransformer[1];
    Instrumentation capturing =
        (Instrumentation)
            Proxy.newProxyInstance(
                Instrumentation.class.getClassLoader(),
                new Class<?>[] {Instrumentation.class},
                (proxy, m, a) -> {
                  if (m.getName().equals("addTransformer")) {
                    captured[0] = (ClassFileTransformer) a[0];
                    return null;
                  }
                  if (m.getDeclaringClass() == Object.class) {
                    return switch (m.getName()) {
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == a[0];
                      default -> "weft-agent instrumentation";
                    };
                  }
                  try {
                    return m.invoke(inst, a);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    try {
      Class.forName("org.aspectj.weaver.loadtime.Agent")
          .getMethod("premain", String.class, Instrumentation.class)
          .invoke(null, args, capturing);
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "weft-agent: the AspectJ weaver did not start: " + e);
    }
    ClassFileTransformer w = captured[0];
    return w != null ? w : new ClassFileTransformer() {};
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
      throws IllegalClassFormatException {
    if (name == null || loader == null || defining.get() != null) {
      return null; // the weaver leaves the boot loader's classes alone too
    }
    WovenStore store = redefined != null ? null : store(loader);
    if (store == null) {
      return weaver().transform(loader, name, redefined, domain, bytes);
    }
    String binaryName = name.replace('/', '.');
    if (!store.candidate(binaryName)) {
      return null;
    }
    WovenStore.Entry e = store.read(binaryName, bytes);
    if (e != null && define(loader, domain, e.generated())) {
      return e.woven();
    }
    ClassFileTransformer aspectj = weaver();
    if (!store.keeps() || !hooked(loader)) {
      return aspectj.transform(loader, name, null, domain, bytes);
    }
    Weaving w = new Weaving(loader);
    Weaving outer = weaving.get();
    weaving.set(w);
    byte[] r;
    try {
      r = aspectj.transform(loader, name, null, domain, bytes);
    } finally {
      weaving.set(outer);
    }
    try {
      store.write(binaryName, bytes, r, w.generated);
      if (store.keeps()) {
        kept.incrementAndGet();
      }
    } catch (java.io.IOException | RuntimeException x) {
      LOG.log(
          writeFailed.getAndSet(true) ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
          "weft-agent: " + binaryName + " not kept, so the next start weaves it again: " + x);
    }
    return r;
  }

  /**
   * The loader's store, opened the first time one of its classes comes by. It is opened outside any
   * lock (opening reads the loader's resources, which must not wait for another loader's class);
   * two threads that open it at once make the same store, and the first one kept is used.
   */
  WovenStore store(ClassLoader loader) {
    Object s = stores.get(loader);
    if (s == null) {
      Object opened;
      try {
        opened = WovenStore.open(root, loader);
      } catch (java.io.IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "weft-agent: no woven-class store: " + e);
        opened = NO_STORE;
      }
      Object first = stores.putIfAbsent(loader, opened);
      s = first == null ? opened : first;
    }
    return s == NO_STORE ? null : (WovenStore) s;
  }

  /** How many entries this JVM has kept. */
  int kept() {
    return kept.get();
  }

  /** Defines a kept entry's generated classes in its loader; false if one cannot be. */
  private boolean define(ClassLoader loader, ProtectionDomain domain, Map<String, byte[]> classes) {
    if (classes.isEmpty()) {
      return true;
    }
    defining.set(Boolean.TRUE);
    try {
      Method m = defineClass();
      for (Map.Entry<String, byte[]> c : classes.entrySet()) {
        byte[] b = c.getValue();
        m.invoke(loader, c.getKey(), b, 0, b.length, domain);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(System.Logger.Level.DEBUG, "weft-agent: kept classes not defined: " + e);
      return false;
    } finally {
      defining.remove();
    }
  }

  private synchronized Method defineClass() throws ReflectiveOperationException {
    if (defineClass == null) {
      inst.redefineModule(
          ClassLoader.class.getModule(),
          Set.of(),
          Map.of(),
          Map.of("java.lang", Set.of(CachedWeaver.class.getModule())),
          Set.of(),
          Map.of());
      Method m =
          ClassLoader.class.getDeclaredMethod(
              "defineClass",
              String.class,
              byte[].class,
              int.class,
              int.class,
              ProtectionDomain.class);
      m.setAccessible(true);
      defineClass = m;
    }
    return defineClass;
  }
}
