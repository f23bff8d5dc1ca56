package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareTest {
  @TempDir Path tmp;

  /** A jar with these (empty) entries and, when given, a manifest Class-Path. */
  private Path jar(String name, String classPath, String... entries) throws IOException {
    Path jar = tmp.resolve(name);
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (classPath != null) {
      m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
      for (String e : entries) {
        out.putNextEntry(new JarEntry(e));
        out.closeEntry();
      }
    }
    return jar;
  }

  @Test
  void theClassesOfAJar_areItsClassEntries_withoutMetaInfModuleOrPackageInfo() throws IOException {
    Path jar =
        jar(
            "a.jar",
            null,
            "a/B.class",
            "a/B$C.class",
            "a/package-info.class",
            "module-info.class",
            "META-INF/versions/11/a/B.class",
            "a/readme.txt");
    assertThat(Prepare.classes(jar)).containsExactly("a.B", "a.B$C");
  }

  @Test
  void theClassPath_isItsJarsAndThoseTheirManifestsName_eachOnce_missingOnesLeftOut()
      throws IOException {
    Path b = jar("b.jar", "a.jar c.jar missing.jar", "b/B.class");
    Path c = jar("c.jar", null, "c/C.class");
    Path a = jar("a.jar", "b.jar", "a/A.class");
    String classPath =
        String.join(
            File.pathSeparator, a.toString(), tmp.resolve("gone.jar").toString(), c.toString());
    assertThat(Prepare.classPathJars(classPath)).containsExactly(a, b, c);
  }

  @Test
  void withoutAStoreToKeepInto_nothingIsPrepared_andTheJvmIsToEndWithStatus1() {
    assertThat(Prepare.run(null)).isEqualTo(1);
  }
}
