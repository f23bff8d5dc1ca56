package dev.weft.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's build snippets are the text of examples/plain-maven/pom.xml, and docs/weaving.md's
 * build-time weaving snippets that of examples/build-time-weaving/pom.xml, which CI builds as
 * outside projects: each marked block of a pom, de-indented, is a fenced block of its document.
 */
class ReadmeSnippetsTest {
  private static final Pattern REGION =
      Pattern.compile(
          "<!-- snippet:([a-z]+) -->\\n(.*?)\\n\\s*<!-- end snippet -->", Pattern.DOTALL);

  private static Path root() {
    return Path.of(System.getProperty("weft.module.dir"), "..").normalize();
  }

  static String dedent(String block) {
    List<String> lines = block.lines().toList();
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return lines.stream()
        .map(l -> l.length() >= indent ? l.substring(indent) : l)
        .collect(Collectors.joining("\n"));
  }

  @Test
  void theMavenSnippetsAreThePlainMavenExamplesText() throws IOException {
    assertThat(snippetsIn("README.md", "examples/plain-maven/pom.xml")).isEqualTo(2);
  }

  @Test
  void theBuildTimeWeavingSnippetsAreThatExamplesText() throws IOException {
    assertThat(snippetsIn("docs/weaving.md", "examples/build-time-weaving/pom.xml")).isEqualTo(2);
  }

  /** Asserts that each marked block of the pom is a fenced block of the document; the count. */
  private static int snippetsIn(String document, String example) throws IOException {
    String doc = Files.readString(root().resolve(document), StandardCharsets.UTF_8);
    String pom = Files.readString(root().resolve(example), StandardCharsets.UTF_8);
    Matcher m = REGION.matcher(pom);
    int found = 0;
    while (m.find()) {
      found++;
      String snippet = "```xml\n" + dedent(m.group(2)) + "\n```\n";
      assertThat(doc).as("%s block for snippet %s", document, m.group(1)).contains(snippet);
    }
    return found;
  }

  /** The example sources, each de-indented as a whole block of lines. */
  static List<List<String>> exampleSources() throws IOException {
    List<List<String>> out = new java.util.ArrayList<>();
    try (var files = Files.walk(root().resolve("examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (!f.toString().contains("/target/")) {
          out.add(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  /** Whether {@code block} stands in {@code lines}, line for line, at one indentation. */
  static boolean contains(List<String> lines, List<String> block) {
    for (int i = 0; i + block.size() <= lines.size(); i++) {
      String first = lines.get(i);
      int indent = first.length() - first.stripLeading().length();
      boolean all = true;
      for (int k = 0; k < block.size() && all; k++) {
        String l = lines.get(i + k);
        all = l.length() >= indent && l.substring(indent).equals(block.get(k));
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  @Test
  void everyJavaSnippetIsTextOfAnExample() throws IOException {
    String readme = Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
    List<List<String>> sources = exampleSources();
    Matcher m = Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL).matcher(readme);
    int blocks = 0;
    while (m.find()) {
      blocks++;
      List<String> block = m.group(1).lines().toList();
      assertThat(sources.stream().anyMatch(src -> contains(src, block)))
          .as("README java block in no example:%n%s", m.group(1))
          .isTrue();
    }
    assertThat(blocks).isEqualTo(2);
  }

  @Test
  void theAgentLineNamesOnlyTheAgent() throws IOException {
    String readme = Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
    assertThat(readme)
        .contains(
            "java -javaagent:weft-agent.jar -Dweft.enabled=true -Dweft.hmac_keys=SECRET_KEY -jar"
                + " app.jar");
    assertThat(readme).doesNotContain("aspectjweaver-1.9.27.jar");
  }
}
