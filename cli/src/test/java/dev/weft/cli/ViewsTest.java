package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Views} renders exactly what {@code weft trace show} prints for the same events. */
class ViewsTest {
  @TempDir Path dir;

  private List<String> storedEvents() throws Exception {
    SampleTraces.shop().writeTo(dir);
    List<String> raw = new ArrayList<>();
    for (String line :
        Files.readAllLines(dir.resolve(SampleTraces.SHOP_ID + ".jsonl"), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        raw.add(line);
      }
    }
    return raw;
  }

  @Test
  void htmlIsTheShowCommandsHtmlPage() throws Exception {
    List<String> raw = storedEvents();
    CliRunner.Result r =
        CliRunner.run("trace", "show", SampleTraces.SHOP_ID, "-c", "file://" + dir, "--html");
    assertThat(r.exitCode()).isEqualTo(0);
    String html = Views.html(SampleTraces.SHOP_ID, raw);
    assertThat(html).startsWith("<!DOCTYPE html>\n");
    assertThat(r.out()).isEqualTo(html.endsWith("\n") ? html : html + "\n");
  }

  @Test
  void treeIsTheShowCommandsTree() throws Exception {
    List<String> raw = storedEvents();
    CliRunner.Result r =
        CliRunner.run("trace", "show", SampleTraces.SHOP_ID, "-c", "file://" + dir, "--tree");
    assertThat(r.exitCode()).isEqualTo(0);
    String tree = Views.tree(SampleTraces.SHOP_ID, raw);
    assertThat(r.out()).isEqualTo(tree.endsWith("\n") ? tree : tree + "\n");
  }

  @Test
  void unreadableEventsAreLeftOutAndNoneAtAllIsRefused() throws Exception {
    List<String> raw = new ArrayList<>(storedEvents());
    String clean = Views.html(SampleTraces.SHOP_ID, raw);
    raw.add(1, "{not json");
    assertThat(Views.html(SampleTraces.SHOP_ID, raw)).isEqualTo(clean);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Views.html("none", List.of("{not json")));
    assertThat(e.getMessage()).isEqualTo("no readable event in trace none");
  }
}
