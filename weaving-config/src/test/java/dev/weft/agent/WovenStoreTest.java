package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WovenStoreTest {
  @TempDir Path tmp;

  private static final String FRAGMENT =
      "<?xml version=\"1.0\"?>\n"
          + "<!-- <include within=\"commented.out..*\"/> -->\n"
          + "<aspectj>\n"
          + "  <aspects><aspect name=\"a.B\"/></aspects>\n"
          + "  <weaver>\n"
          + "    <include within=\"com.zaxxer.hikari.HikariDataSource\"/>\n"
          + "    <include within=\"org.hibernate.engine.jdbc.internal..*\"/>\n"
          + "  </weaver>\n"
          + "</aspectj>\n";

  /** A jar holding {@code META-INF/aop.xml} with this text. */
  private Path jar(String name, String aopXml) throws IOException {
    Path jar = tmp.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("META-INF/aop.xml"));
      out.write(aopXml.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  private static URLClassLoader loader(Path... entries) throws IOException {
    URL[] urls = new URL[entries.length];
    for (int i = 0; i < entries.length; i++) {
      urls[i] = entries[i].toUri().toURL();
    }
    return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
  }

  private static long storesUnder(Path root) throws IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.count();
    }
  }

  @Test
  void candidates_areTheClassesTheIncludesName_andTheirNestedClasses_commentsIgnored()
      throws IOException {
    try (URLClassLoader l = loader(jar("a.jar", FRAGMENT))) {
      WovenStore s = WovenStore.open(tmp.resolve("root"), l);
      assertThat(s.keeps()).isTrue();
      assertThat(s.candidate("com.zaxxer.hikari.HikariDataSource")).isTrue();
      assertThat(s.candidate("com.zaxxer.hikari.HikariDataSource$AjcClosure1")).isTrue();
      assertThat(s.candidate("com.zaxxer.hikari.HikariDataSourceX")).isFalse();
      assertThat(s.candidate("com.zaxxer.hikari.HikariConfig")).isFalse();
      assertThat(s.candidate("org.hibernate.engine.jdbc.internal.JdbcCoordinatorImpl")).isTrue();
      assertThat(s.candidate("org.hibernate.engine.jdbc.internal.x.Y")).isTrue();
      assertThat(s.candidate("org.hibernate.engine.jdbc.spi.SqlStatementLogger")).isFalse();
      assertThat(s.candidate("commented.out.Type")).isFalse();
    }
  }

  @Test
  void anIncludeThisReadingDoesNotFollow_orNoIncludeAtAll_makesEveryClassACandidate()
      throws IOException {
    String pattern = FRAGMENT.replace("org.hibernate.engine.jdbc.internal..*", "org..*Impl");
    try (URLClassLoader l = loader(jar("a.jar", pattern))) {
      WovenStore s = WovenStore.open(tmp.resolve("root"), l);
      assertThat(s.candidate("any.Type")).isTrue();
    }
    String none = "<aspectj><aspects><aspect name=\"a.B\"/></aspects></aspectj>";
    try (URLClassLoader l = loader(jar("b.jar", none))) {
      assertThat(WovenStore.open(tmp.resolve("root"), l).candidate("any.Type")).isTrue();
    }
  }

  @Test
  void aLoaderThatSeesNoConfiguration_hasNoCandidates_andKeepsNothing() throws IOException {
    Path empty = tmp.resolve("empty.jar");
    new JarOutputStream(Files.newOutputStream(empty)).close();
    try (URLClassLoader l = loader(empty)) {
      WovenStore s = WovenStore.open(tmp.resolve("root"), l);
      assertThat(s.candidate("com.zaxxer.hikari.HikariDataSource")).isFalse();
      assertThat(s.keeps()).isFalse();
    }
    assertThat(storesUnder(tmp.resolve("root"))).isZero();
  }

  @Test
  void aDirectoryOnTheClassPath_keepsNothing_butStillKnowsTheCandidates() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("classes/META-INF"));
    Files.writeString(dir.resolve("aop.xml"), FRAGMENT);
    try (URLClassLoader l = loader(tmp.resolve("classes"))) {
      WovenStore s = WovenStore.open(tmp.resolve("root"), l);
      assertThat(s.keeps()).isFalse();
      assertThat(s.candidate("com.zaxxer.hikari.HikariDataSource")).isTrue();
      assertThat(s.candidate("com.zaxxer.hikari.HikariConfig")).isFalse();
      s.write("com.zaxxer.hikari.HikariDataSource", new byte[] {1}, new byte[] {2}, Map.of());
      assertThat(s.read("com.zaxxer.hikari.HikariDataSource", new byte[] {1})).isNull();
    }
    assertThat(storesUnder(tmp.resolve("root"))).isZero();
  }

  @Test
  void anEntry_isReadBackExactly_forTheSameBytesOnly() throws IOException {
    try (URLClassLoader l = loader(jar("a.jar", FRAGMENT))) {
      WovenStore s = WovenStore.open(tmp.resolve("root"), l);
      byte[] original = {(byte) 0xCA, (byte) 0xFE, 1, 2, 3};
      byte[] woven = {(byte) 0xCA, (byte) 0xFE, 9, 9};
      Map<String, byte[]> generated = new LinkedHashMap<>();
      generated.put("com.zaxxer.hikari.HikariDataSource$AjcClosure1", new byte[] {7});
      generated.put("com.zaxxer.hikari.HikariDataSource$AjcClosure3", new byte[] {8, 8});
      s.write("com.zaxxer.hikari.HikariDataSource", original, woven, generated);

      WovenStore.Entry e = s.read("com.zaxxer.hikari.HikariDataSource", original.clone());
      assertThat(e.woven()).containsExactly(woven);
      assertThat(e.generated().keySet())
          .containsExactly(
              "com.zaxxer.hikari.HikariDataSource$AjcClosure1",
              "com.zaxxer.hikari.HikariDataSource$AjcClosure3");
      assertThat(e.generated().get("com.zaxxer.hikari.HikariDataSource$AjcClosure3"))
          .containsExactly(8, 8);

      byte[] other = original.clone();
      other[4] = 4;
      assertThat(s.read("com.zaxxer.hikari.HikariDataSource", other)).isNull();
      assertThat(s.read("com.zaxxer.hikari.HikariDataSource", new byte[] {1})).isNull();
      assertThat(s.read("com.zaxxer.hikari.HikariConfig", original)).isNull();

      s.write("org.hibernate.engine.jdbc.internal.Formatter", original, null, Map.of());
      WovenStore.Entry unchanged = s.read("org.hibernate.engine.jdbc.internal.Formatter", original);
      assertThat(unchanged.woven()).isNull();
      assertThat(unchanged.generated()).isEmpty();
    }
  }

  @Test
  void aDamagedEntry_isNotUsed() throws IOException {
    Path root = tmp.resolve("root");
    try (URLClassLoader l = loader(jar("a.jar", FRAGMENT))) {
      WovenStore s = WovenStore.open(root, l);
      byte[] original = {1, 2, 3};
      s.write("com.zaxxer.hikari.HikariDataSource", original, new byte[] {4, 5, 6}, Map.of());
      Path entry;
      try (Stream<Path> files = Files.walk(root)) {
        entry = files.filter(f -> f.toString().endsWith(".woven")).findFirst().orElseThrow();
      }
      byte[] data = Files.readAllBytes(entry);
      data[data.length - 12] ^= 1; // one bit, before the checksum
      Files.write(entry, data);
      assertThat(s.read("com.zaxxer.hikari.HikariDataSource", original)).isNull();
      Files.write(entry, new byte[] {1, 2});
      assertThat(s.read("com.zaxxer.hikari.HikariDataSource", original)).isNull();
    }
  }

  @Test
  void aChangedJar_orAnotherConfiguration_isAnotherStore() throws IOException {
    Path root = tmp.resolve("root");
    Path a = jar("a.jar", FRAGMENT);
    byte[] original = {1, 2, 3};
    try (URLClassLoader l = loader(a)) {
      WovenStore.open(root, l)
          .write("com.zaxxer.hikari.HikariDataSource", original, new byte[] {4}, Map.of());
    }
    try (URLClassLoader l = loader(a)) {
      assertThat(WovenStore.open(root, l).read("com.zaxxer.hikari.HikariDataSource", original))
          .isNotNull();
    }
    Files.setLastModifiedTime(
        a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5000));
    try (URLClassLoader l = loader(a)) {
      assertThat(WovenStore.open(root, l).read("com.zaxxer.hikari.HikariDataSource", original))
          .isNull();
    }
    try (URLClassLoader l = loader(a, jar("more.jar", FRAGMENT.replace("a.B", "a.C")))) {
      assertThat(WovenStore.open(root, l).read("com.zaxxer.hikari.HikariDataSource", original))
          .isNull();
    }
    assertThat(storesUnder(root)).isEqualTo(3);
  }

  @Test
  void outerFile_ofTheUrlsClassLoadersUse() {
    assertThat(WovenStore.outerFile("file:/a/b.jar")).isEqualTo(Path.of("/a/b.jar"));
    assertThat(WovenStore.outerFile("jar:file:/a/b.jar!/")).isEqualTo(Path.of("/a/b.jar"));
    assertThat(WovenStore.outerFile("jar:nested:/a/app.jar/!BOOT-INF/lib/x.jar!/"))
        .isEqualTo(Path.of("/a/app.jar"));
    assertThat(WovenStore.outerFile("http://host/x.jar")).isNull();
  }
}
