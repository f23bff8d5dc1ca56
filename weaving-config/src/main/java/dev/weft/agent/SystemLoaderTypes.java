package dev.weft.agent;

import org.aspectj.apache.bcel.classfile.JavaClass;
import org.aspectj.apache.bcel.util.ClassLoaderRepository;
import org.aspectj.apache.bcel.util.Repository;

/**
 * The weaver's global BCEL type repository, read through the system class loader.
 *
 * <p>The weaver asks this repository whether one class is assignable to another when it weaves
 * {@code around} advice whose type differs from the join point's ({@code Object around()} on a
 * method that returns {@code Connection}, an {@code if()} test). Its default, made on first use,
 * indexes every file of the JDK's module image before it answers: about half a second, once per
 * JVM, on the thread that loads the first such class. The system class loader sees the same classes
 * (the JDK's and the class path's) and finds each one by name. Every class this repository returns
 * names it as its own repository, so the super types that BCEL walks from it are read here too and
 * never through the default.
 */
final class SystemLoaderTypes implements Repository {
  private final ClassLoaderRepository loader =
      new ClassLoaderRepository(ClassLoader.getSystemClassLoader());

  /** Makes this the repository the weaver's BCEL reads types from. */
  static void install() {
    org.aspectj.apache.bcel.Repository.setRepository(new SystemLoaderTypes());
  }

  @Override
  public void storeClass(JavaClass c) {
    loader.storeClass(c);
    c.setRepository(this);
  }

  @Override
  public void removeClass(JavaClass c) {
    loader.removeClass(c);
  }

  @Override
  public JavaClass findClass(String name) {
    return owned(loader.findClass(name));
  }

  @Override
  public JavaClass loadClass(String name) throws ClassNotFoundException {
    return owned(loader.loadClass(name));
  }

  @Override
  @SuppressWarnings("rawtypes") // the interface's own signature
  public JavaClass loadClass(Class c) throws ClassNotFoundException {
    return owned(loader.loadClass(c));
  }

  @Override
  public void clear() {
    loader.clear();
  }

  private JavaClass owned(JavaClass c) {
    if (c != null) {
      c.setRepository(this);
    }
    return c;
  }
}
