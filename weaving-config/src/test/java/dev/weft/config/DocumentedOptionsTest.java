package dev.weft.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.config.Key;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the shipped option reference honest: every {@link Key} is in docs/configuration.md and in
 * weft-default.properties with its real default, and neither names an option that does not exist.
 */
class DocumentedOptionsTest {
  private static final Pattern KEY_TOKEN =
      Pattern.compile("(?<![\\w.])weft\\.[a-z_]+(?:\\.[a-z_]+)*");

  /**
   * Names that appear in the texts but are not options: the config file's own names, and the prefix
   * of {@code weft.trace.<category>}.
   */
  private static final Set<String> NOT_OPTIONS =
      Set.of("weft.config", "weft.properties", "weft.trace");

  private static Path moduleDir() {
    String d = System.getProperty("weft.module.dir");
    return d == null ? Path.of("").toAbsolutePath() : Path.of(d);
  }

  private static Path defaultProperties() {
    return moduleDir().resolve("src/main/resources/weft-default.properties");
  }

  private static Path docs() {
    return moduleDir().resolve("../docs/configuration.md").normalize();
  }

  private static List<String> lines(Path p) throws IOException {
    assertThat(p).exists();
    return Files.readAllLines(p, StandardCharsets.UTF_8);
  }

  @Test
  void everyKeyIsInTheDefaultPropertiesFile_commentedWithItsDefault() throws IOException {
    List<String> lines = lines(defaultProperties());
    List<String> missing = new ArrayList<>();
    for (Key k : Key.values()) {
      String expected = "#" + k.key() + "=" + k.defaultValue();
      if (!lines.contains(expected)) {
        missing.add(expected);
      }
    }
    assertThat(missing).as("lines missing from %s", defaultProperties()).isEmpty();
  }

  @Test
  void defaultPropertiesFile_activatesNothing() throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(defaultProperties(), StandardCharsets.UTF_8)) {
      p.load(r);
    }
    assertThat(p).isEmpty();
    assertThat(defaultProperties().getFileName().toString()).isNotEqualTo("weft.properties");
  }

  @Test
  void everyKeyIsInTheDocs_withItsDefault() throws IOException {
    List<String> lines = lines(docs());
    List<String> problems = new ArrayList<>();
    for (Key k : Key.values()) {
      String rowStart = "| `" + k.key() + "` | ";
      List<String> rows = lines.stream().filter(l -> l.startsWith(rowStart)).toList();
      if (rows.size() != 1) {
        problems.add(k.key() + ": expected one table row, found " + rows.size());
        continue;
      }
      String[] cells = rows.get(0).split(" \\| ");
      String defaultCell = cells.length > 1 ? cells[1].trim() : "";
      if (k.defaultValue().isEmpty()) {
        if (!defaultCell.startsWith("*(")) {
          problems.add(k.key() + ": empty default must be described as *(...)*: " + defaultCell);
        }
      } else if (!defaultCell.equals("`" + k.defaultValue() + "`")) {
        problems.add(k.key() + ": default cell " + defaultCell + " != `" + k.defaultValue() + "`");
      }
      if (cells.length < 3 || cells[2].replace("|", "").isBlank()) {
        problems.add(k.key() + ": no meaning given");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void docsAndPropertiesName_onlyRealKeys() throws IOException {
    for (Path p : List.of(docs(), defaultProperties())) {
      Set<String> unknown = new TreeSet<>();
      Matcher m = KEY_TOKEN.matcher(Files.readString(p, StandardCharsets.UTF_8));
      while (m.find()) {
        String token = m.group();
        if (Key.byName(token) == null && !NOT_OPTIONS.contains(token)) {
          unknown.add(token);
        }
      }
      assertThat(unknown).as("unknown option names in %s", p).isEmpty();
    }
  }

  @Test
  void docsDescribeEnvironmentNamesAndEveryJmxAttribute() throws IOException {
    String text = Files.readString(docs(), StandardCharsets.UTF_8);
    assertThat(text).contains("`WEFT_TRACE_REDIS`", "`dev.weft:type=Weft`");
    List<String> missing = new ArrayList<>();
    for (dev.weft.spi.TraceCategory c : dev.weft.spi.TraceCategory.values()) {
      String n = c.categoryName();
      String attribute = "`Trace" + Character.toUpperCase(n.charAt(0)) + n.substring(1) + "`";
      if (!text.contains(attribute)) {
        missing.add(attribute);
      }
    }
    for (java.lang.reflect.Method m : dev.weft.WeftMXBean.class.getMethods()) {
      String n = m.getName();
      String attribute =
          n.startsWith("get") ? n.substring(3) : n.startsWith("is") ? n.substring(2) : null;
      if (attribute == null && n.startsWith("set") && m.getParameterCount() == 1) {
        attribute = n.substring(3);
      }
      String name = attribute == null ? n + "(" : "`" + attribute + "`";
      if (!text.contains(name)) {
        missing.add(name);
      }
    }
    assertThat(missing).isEmpty();
  }
}
