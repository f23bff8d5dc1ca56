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

  /** Every integration on the class path, by name: its META-INF/weft/*.properties. */
  static Map<String, Properties> integrations() throws IOException {
    Map<String, Properties> all = new TreeMap<>();
    for (String name :
        List.of(
            "application",
            "servlet",
            "jdbc",
            "hibernate",
            "hikaricp",
            "commons-pool2",
            "jedis",
            "mongodb")) {
      URL u =
          CategoryTableTest.class
              .getClassLoader()
              .getResource("META-INF/weft/" + name + ".properties");
      assertThat(u).as("integration %s", name).isNotNull();
      Properties p = new Properties();
      try (InputStream in = u.openStream()) {
        p.load(in);
      }
      assertThat(p.getProperty("name")).isEqualTo(name);
      all.put(name, p);
    }
    return all;
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
