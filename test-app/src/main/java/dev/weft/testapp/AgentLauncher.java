package dev.weft.testapp;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * {@code Launcher-Agent-Class} of weft-test-app.jar: {@code java -jar weft-test-app.jar ...} starts
 * Weft's agent (carried inside the jar as {@code weft-agent.jar}) before {@code main}, from any
 * directory and without a {@code -javaagent} flag, so the drivers are woven. A JVM started with
 * {@code -javaagent:weft-agent.jar} already has it and is left alone. The agent's path is put in
 * the system property {@value #AGENT_PATH}, for the JVMs the demo starts.
 */
public final class AgentLauncher {
  /** The agent jar this JVM runs with; children are started with {@code -javaagent:} it. */
  public static final String AGENT_PATH = "weft.agent.path";

  private AgentLauncher() {}

  public static void agentmain(String args, Instrumentation inst) {
    if (System.getProperty(AGENT_PATH) != null || agentLoaded()) {
      return;
    }
    try (InputStream in = AgentLauncher.class.getResourceAsStream("/weft-agent.jar")) {
      if (in == null) {
        System.err.println(
            "weft-test-app: weft-agent.jar is missing from the jar; drivers untraced");
        return;
      }
      byte[] bytes = in.readAllBytes();
      // A directory of this JVM's own (rwx------ where permissions exist), so no other user can
      // swap the jar between its writing and its opening. The copy carries the app jar's time, so
      // the agent, which names its own directory after its jar's size and time, finds what an
      // earlier start of the same app jar unpacked and wove.
      Path dir = Files.createTempDirectory("weft-test-app-");
      dir.toFile().deleteOnExit(); // registered first: deleted last, once the jar is gone
      Path jar = dir.resolve("weft-agent.jar");
      jar.toFile().deleteOnExit();
      Files.write(jar, bytes);
      Path app = appJar();
      if (app != null) {
        Files.setLastModifiedTime(jar, Files.getLastModifiedTime(app));
      }
      inst.appendToSystemClassLoaderSearch(new JarFile(jar.toFile()));
      System.setProperty(AGENT_PATH, jar.toString());
      Class.forName("dev.weft.agent.WeftAgent")
          .getMethod("agentmain", String.class, Instrumentation.class)
          .invoke(null, args, inst);
    } catch (IOException | ReflectiveOperationException | LinkageError e) {
      System.err.println("weft-test-app: the Weft agent did not start, drivers untraced: " + e);
    }
  }

  /** The jar this class was loaded from, or null. */
  private static Path appJar() {
    try {
      Path p =
          Path.of(AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) ? p : null;
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  private static boolean agentLoaded() {
    for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-javaagent:") && a.contains("weft-agent")) {
        System.setProperty(AGENT_PATH, a.substring("-javaagent:".length()));
        return true;
      }
    }
    return false;
  }
}
