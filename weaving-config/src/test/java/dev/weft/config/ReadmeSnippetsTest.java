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
 * The README's build snippets are the text of examples/plain-maven/pom.xml, which CI builds as an
 * outside project: each marked block of the pom, de-indented, is a fenced block of the README.
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
    String readme = Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
    String pom =
        Files.readString(root().resolve("examples/plain-maven/pom.xml"), StandardCharsets.UTF_8);
    Matcher m = REGION.matcher(pom);
    int found = 0;
    while (m.find()) {
      found++;
      String snippet = "```xml\n" + dedent(m.group(2)) + "\n```\n";
      assertThat(readme).as("README block for snippet %s", m.group(1)).contains(snippet);
    }
    assertThat(found).isEqualTo(2);
  }

  @Test
  void theJavaSnippetIsThePlainMavenExamplesShop() throws IOException {
    String readme = Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
    String shop =
        Files.readString(
            root().resolve("examples/plain-maven/src/main/java/example/plain/Shop.java"),
            StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("```java\n(@Traced.*?)\n```", Pattern.DOTALL).matcher(readme);
    assertThat(m.find()).as("the README's @Traced block").isTrue();
    String block = m.group(1);
    int at = shop.indexOf(block.lines().findFirst().orElseThrow());
    assertThat(at).isPositive();
    String inShop =
        dedent(
            shop.substring(shop.lastIndexOf('\n', at) + 1)
                .lines()
                .limit(block.lines().count())
                .collect(Collectors.joining("\n")));
    assertThat(inShop).isEqualTo(block);
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
