package dev.weft.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.config.Key;
import dev.weft.spi.TraceCategory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Holds core's category table together with the integrations: every row has an integration whose
 * aspects exist, every load-time integration's aop.xml names exactly its aspects with {@code
 * requires=}, every category is a documented option with its default, and no integration names a
 * category the table does not have.
 */
class CategoryTableTest {
  private static final Pattern ASPECT =
      Pattern.compile("<aspect\\s+name=\"([^\"]+)\"\\s+requires=\"([^\"]+)\"\\s*/>");

  private static Path root() {
    return Path.of(System.getProperty("weft.module.dir"), "..").normalize();
  }

  /**
   * Every integration module under aspects/, by name: its META-INF/weft/<name>.properties, which
   * must also be on this module's class path (weaving-config depends on every integration).
   */
  static Map<String, Properties> integrations() throws IOException {
    Map<String, Properties> all = new TreeMap<>();
    List<Path> files;
    try (var dirs = Files.list(root().resolve("aspects"))) {
      files =
          dirs.map(d -> d.resolve("src/main/resources/META-INF/weft"))
              .filter(Files::isDirectory)
              .flatMap(
                  d -> {
                    try {
                      return Files.list(d).toList().stream();
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
    }
    for (Path f : files) {
      String name = f.getFileName().toString().replace(".properties", "");
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(f)) {
        p.load(in);
      }
      assertThat(p.getProperty("name")).as(f.toString()).isEqualTo(name);
      URL u =
          CategoryTableTest.class
              .getClassLoader()
              .getResource("META-INF/weft/" + name + ".properties");
      assertThat(u).as("integration %s on weaving-config's class path", name).isNotNull();
      all.put(name, p);
    }
    assertThat(all).containsKeys("application", "servlet", "jdbc", "jedis");
    return all;
  }

  @Test
  void everyLoadTimeIntegrationIsNestedInTheAgent() throws IOException {
    String pom = Files.readString(root().resolve("weaving-config/pom.xml"), StandardCharsets.UTF_8);
    Matcher copied =
        Pattern.compile("<includeArtifactIds>([^<]+)</includeArtifactIds>").matcher(pom);
    assertThat(copied.find()).isTrue();
    List<String> nested = List.of(copied.group(1).trim().split("\\s*,\\s*"));
    for (Properties p : integrations().values()) {
      if (p.getProperty("requires", "").isBlank()) {
        continue;
      }
      String jar = "weft-" + p.getProperty("name") + ".jar";
      assertThat(pom)
          .as("weaving-config nests %s in weft-agent.jar", jar)
          .contains("<resource>weft-inst/" + jar + "</resource>");
      assertThat(nested).contains("weft-" + p.getProperty("name"));
    }
  }

  private static List<String> list(Properties p, String key) {
    String v = p.getProperty(key, "").trim();
    return v.isEmpty() ? List.of() : List.of(v.split("\\s*,\\s*"));
  }

  @Test
  void everyCategoryHasAnIntegration_andEveryIntegrationAKnownCategory() throws IOException {
    Set<String> covered = new TreeSet<>();
    for (Properties p : integrations().values()) {
      for (String c : list(p, "category")) {
        assertThat(TraceCategory.byName(c)).as("category %s of %s", c, p.get("name")).isNotNull();
        covered.add(c);
      }
    }
    Set<String> rows = new TreeSet<>();
    for (TraceCategory c : TraceCategory.values()) {
      rows.add(c.categoryName());
    }
    assertThat(covered).isEqualTo(rows);
  }

  @Test
  void everyIntegrationsAspectsExist() throws Exception {
    for (Properties p : integrations().values()) {
      List<String> aspects = list(p, "aspects");
      assertThat(aspects).as("aspects of %s", p.get("name")).isNotEmpty();
      for (String a : aspects) {
        Class<?> type = Class.forName(a, false, getClass().getClassLoader());
        assertThat(type.getName()).isEqualTo(a);
      }
    }
  }

  @Test
  void loadTimeIntegrations_aopXmlNamesExactlyTheirAspects_withTheirDriverAsRequires()
      throws IOException {
    for (Properties p : integrations().values()) {
      String name = p.getProperty("name");
      Path aop =
          Path.of(
                  System.getProperty("weft.module.dir"),
                  "..",
                  "aspects",
                  name,
                  "src/main/resources/META-INF/aop.xml")
              .normalize();
      if (p.getProperty("requires", "").isBlank()) {
        assertThat(aop).as("%s is compile-time only", name).doesNotExist();
        continue;
      }
      String xml = Files.readString(aop, StandardCharsets.UTF_8);
      List<String> named = new ArrayList<>();
      Matcher m = ASPECT.matcher(xml);
      while (m.find()) {
        named.add(m.group(1));
        assertThat(m.group(2))
            .as("requires of %s", m.group(1))
            .isEqualTo(p.getProperty("requires"));
      }
      Collections.sort(named);
      List<String> declared = new ArrayList<>(list(p, "aspects"));
      Collections.sort(declared);
      assertThat(named).as("aspects in %s", aop).isEqualTo(declared);
    }
  }

  @Test
  void everyCategoryIsAKeyWithTheTablesDefault() {
    for (TraceCategory c : TraceCategory.values()) {
      Key k = Key.byName(c.key());
      assertThat(k).as(c.key()).isNotNull();
      assertThat(k.defaultValue()).isEqualTo(Boolean.toString(c.defaultOn()));
      assertThat(k.category()).isSameAs(c);
    }
  }
}
