package dev.weft.testapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testapp.pooling.Catalog;
import jakarta.servlet.http.HttpServlet;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The app is woven once: its own classes by ajc at build time, the drivers and the container by the
 * load-time weaver (this JVM runs with {@code -javaagent}, as the app does). Were the load-time
 * weaver to include the app's classes too, every {@code @Traced} method and servlet would be
 * wrapped twice.
 */
class WeavingTest {
  /** ajc's names for the bodies of woven join points: {@code lookup_aroundBody0}, ... */
  static final Pattern AROUND_BODY = Pattern.compile("[A-Za-z0-9_$]+?_aroundBody\\d+(\\$advice)?");

  static Set<String> aroundBodies(Class<?> c) {
    Set<String> out = new TreeSet<>();
    for (Method m : c.getDeclaredMethods()) {
      if (AROUND_BODY.matcher(m.getName()).matches()) {
        out.add(m.getName());
      }
    }
    return out;
  }

  /** The around-body method names in a class file's constant pool, as ajc wrote it. */
  static Set<String> aroundBodies(byte[] classFile) {
    Set<String> out = new TreeSet<>();
    Matcher m = AROUND_BODY.matcher(new String(classFile, StandardCharsets.ISO_8859_1));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  @Test
  void theLoadTimeWeaverIsActiveInThisJvm() {
    // Jetty's HttpServlet comes unwoven from its jar: these methods exist only once the agent
    // wove it with weaving-config's aop.xml.
    assertThat(aroundBodies(HttpServlet.class)).isNotEmpty();
  }

  @Test
  void everyCompileTimeWovenAppClassIsLoadedExactlyAsAjcWroteIt() throws Exception {
    Path classes =
        Path.of(Catalog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> woven = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
        Set<String> onDisk = aroundBodies(Files.readAllBytes(p));
        if (onDisk.isEmpty()) {
          continue;
        }
        String name = classes.relativize(p).toString().replace('/', '.');
        name = name.substring(0, name.length() - ".class".length());
        Class<?> c = Class.forName(name, false, WeavingTest.class.getClassLoader());
        assertThat(aroundBodies(c)).as(name).isEqualTo(onDisk);
        woven.add(c.getSimpleName());
      }
    }
    // The classes the README lists as compile-time woven are among them.
    assertThat(woven)
        .contains(
            "Catalog",
            "PoolSelector",
            "NotificationLog",
            "NotificationsServlet",
            "ApiServlet",
            "QueueClient",
            "WebhookNotifier");
  }

  /** An AspectJ type pattern ({@code *}, {@code ..}, a trailing {@code +}) as a regex. */
  static Pattern typePattern(String p) {
    StringBuilder re = new StringBuilder();
    String s = p.endsWith("+") ? p.substring(0, p.length() - 1) : p;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (s.startsWith("..", i)) {
        re.append("\\.(?:.*\\.)?");
        i++;
      } else if (ch == '*') {
        re.append("[^.]*");
      } else if (ch == '.') {
        re.append("\\.");
      } else {
        re.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(re.toString());
  }

  @Test
  void typePatternsMatchAsAspectjDoes() {
    assertThat(
            typePattern("dev.weft.testapp..*")
                .matcher("dev.weft.testapp.pooling.Catalog")
                .matches())
        .isTrue();
    assertThat(typePattern("dev..*").matcher("dev.weft.testapp.Main").matches()).isTrue();
    assertThat(typePattern("*").matcher("dev.weft.testapp.Main").matches()).isFalse();
    assertThat(
            typePattern("jakarta.servlet.http.HttpServlet")
                .matcher("dev.weft.testapp.api.QueuesServlet")
                .matches())
        .isFalse();
  }

  @Test
  void noAopXmlOnTheClassPathIncludesTheAppsClasses() throws Exception {
    List<URL> files =
        Collections.list(getClass().getClassLoader().getResources("META-INF/aop.xml"));
    assertThat(files).isNotEmpty();
    List<String> includes = new ArrayList<>();
    for (URL u : files) {
      Document d;
      try (InputStream in = u.openStream()) {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        d = f.newDocumentBuilder().parse(in);
      }
      NodeList nodes = d.getElementsByTagName("include");
      for (int i = 0; i < nodes.getLength(); i++) {
        String within = nodes.item(i).getAttributes().getNamedItem("within").getNodeValue();
        for (String alt : within.split("\\|\\|")) {
          includes.add(alt.trim());
        }
      }
    }
    assertThat(includes).isNotEmpty();
    for (String appClass :
        List.of(
            "dev.weft.testapp.Main",
            "dev.weft.testapp.pooling.Catalog",
            "dev.weft.testapp.api.QueuesServlet",
            "dev.weft.testapp.subscriber.NotificationLog")) {
      for (String within : includes) {
        assertThat(typePattern(within).matcher(appClass).matches())
            .as(within + " includes " + appClass)
            .isFalse();
      }
    }
  }
}
