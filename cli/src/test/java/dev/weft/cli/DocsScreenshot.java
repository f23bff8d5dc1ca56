package dev.weft.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Regenerates {@code docs/trace-html.png}, the picture of the HTML view: renders {@link
 * SampleTraces#shop()} with {@code weft trace show --html} and photographs it in headless Chromium.
 *
 * <p>Run from the repository root: {@code java -cp cli/target/weft-cli.jar:cli/target/test-classes
 * dev.weft.cli.DocsScreenshot docs/trace-html.png}.
 */
public final class DocsScreenshot {
  private DocsScreenshot() {}

  public static void main(String[] args) throws Exception {
    Path png = Path.of(args.length > 0 ? args[0] : "docs/trace-html.png");
    Path dir = Files.createTempDirectory("weft-docs");
    SampleTraces.shop().writeTo(dir);
    Path html = dir.resolve("trace.html");
    CliRunner.Result r =
        CliRunner.run(
            "trace",
            "show",
            SampleTraces.SHOP_ID,
            "--connection-string",
            "file://" + dir,
            "--html",
            "--out",
            html.toString());
    if (r.exitCode() != 0) {
      throw new IllegalStateException(r.err());
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    Chromium.screenshot(html, png, 1280, 800);
    System.out.println("wrote " + png + " (" + Files.size(png) + " bytes)");
  }
}
