package dev.weft.internal;

import dev.weft.internal.config.Key;
import dev.weft.internal.config.Switches;
import dev.weft.internal.config.WeftConfig;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** The {@code dev.weft:type=Weft} MBean. */
final class WeftMBeanImpl implements WeftMBean {
  static final String NAME = "dev.weft:type=Weft";

  static void register() {
    try {
      ObjectName name = new ObjectName(NAME);
      var server = ManagementFactory.getPlatformMBeanServer();
      if (!server.isRegistered(name)) {
        server.registerMBean(
            new javax.management.StandardMBean(new WeftMBeanImpl(), WeftMBean.class), name);
      }
    } catch (Exception | LinkageError e) {
      System.getLogger("dev.weft")
          .log(System.Logger.Level.WARNING, "weft: JMX registration failed: " + e);
    }
  }

  private static dev.weft.internal.pipeline.Pipeline p() {
    return WeftRuntime.pipelineIfStarted();
  }

  private static void put(Key k, boolean on) {
    WeftConfig.OVERRIDES.put(k.key(), Boolean.toString(on));
    WeftRuntime.reconfigure();
  }

  @Override
  public boolean isEnabled() {
    return Switches.enabled;
  }

  @Override
  public void setEnabled(boolean on) {
    put(Key.ENABLED, on);
  }

  private static boolean cat(Key k) {
    return WeftRuntime.config().bool(k);
  }

  @Override
  public boolean isTraceAnnotated() {
    return cat(Key.TRACE_ANNOTATED);
  }

  @Override
  public void setTraceAnnotated(boolean on) {
    put(Key.TRACE_ANNOTATED, on);
  }

  @Override
  public boolean isTraceServlet() {
    return cat(Key.TRACE_SERVLET);
  }

  @Override
  public void setTraceServlet(boolean on) {
    put(Key.TRACE_SERVLET, on);
  }

  @Override
  public boolean isTraceHttp() {
    return cat(Key.TRACE_HTTP);
  }

  @Override
  public void setTraceHttp(boolean on) {
    put(Key.TRACE_HTTP, on);
  }

  @Override
  public boolean isTraceMongodb() {
    return cat(Key.TRACE_MONGODB);
  }

  @Override
  public void setTraceMongodb(boolean on) {
    put(Key.TRACE_MONGODB, on);
  }

  @Override
  public boolean isTraceRedis() {
    return cat(Key.TRACE_REDIS);
  }

  @Override
  public void setTraceRedis(boolean on) {
    put(Key.TRACE_REDIS, on);
  }

  @Override
  public boolean isTraceSql() {
    return cat(Key.TRACE_SQL);
  }

  @Override
  public void setTraceSql(boolean on) {
    put(Key.TRACE_SQL, on);
  }

  @Override
  public boolean isTracePooling() {
    return cat(Key.TRACE_POOLING);
  }

  @Override
  public void setTracePooling(boolean on) {
    put(Key.TRACE_POOLING, on);
  }

  @Override
  public boolean isTraceAsync() {
    return cat(Key.TRACE_ASYNC);
  }

  @Override
  public void setTraceAsync(boolean on) {
    put(Key.TRACE_ASYNC, on);
  }

  @Override
  public int getHmacKeyCount() {
    return WeftRuntime.hmacKeys().size();
  }

  @Override
  public String getCollector() {
    return WeftRuntime.collectorDescription();
  }

  @Override
  public String getConfigSource() {
    return WeftRuntime.config().source();
  }

  @Override
  public long getTracesStarted() {
    return WeftRuntime.tracesStarted();
  }

  @Override
  public long getTracesRateLimited() {
    return WeftRuntime.tracesRateLimited();
  }

  @Override
  public long getSpansAccepted() {
    return p() == null ? 0 : p().accepted();
  }

  @Override
  public long getSpansStored() {
    return p() == null ? 0 : p().stored();
  }

  @Override
  public long getSpansDropped() {
    return getSpansDroppedQueueFull() + getSpansDroppedCollectorError();
  }

  @Override
  public long getSpansDroppedQueueFull() {
    return p() == null ? 0 : p().droppedQueueFull();
  }

  @Override
  public long getSpansDroppedCollectorError() {
    return p() == null ? 0 : p().droppedCollector();
  }

  @Override
  public long getCollectorErrors() {
    return p() == null ? 0 : p().collectorErrors();
  }

  @Override
  public int getQueueSize() {
    return p() == null ? 0 : p().queueSize();
  }

  @Override
  public int getQueueCapacity() {
    return (p() == null ? 0 : p().capacity());
  }

  @Override
  public void set(String key, String value) {
    if (Key.byName(key) == null) {
      throw new IllegalArgumentException("unknown key: " + key);
    }
    if (value == null || value.isEmpty()) {
      WeftConfig.OVERRIDES.remove(key);
    } else {
      WeftConfig.OVERRIDES.put(key, value);
    }
    WeftRuntime.reconfigure();
  }

  @Override
  public void reload() {
    WeftRuntime.reconfigure();
  }

  @Override
  public boolean flush() {
    return WeftRuntime.flush();
  }
}
