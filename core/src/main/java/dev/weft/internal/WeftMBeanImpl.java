package dev.weft.internal;

import dev.weft.WeftMXBean;
import dev.weft.internal.config.Key;
import dev.weft.internal.config.Switches;
import dev.weft.internal.config.WeftConfig;
import dev.weft.spi.TraceCategory;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/** The {@code dev.weft:type=Weft} MBean. */
final class WeftMBeanImpl implements WeftMXBean {
  static final String NAME = WeftMXBean.OBJECT_NAME;

  static void register() {
    try {
      ObjectName name = new ObjectName(NAME);
      var server = ManagementFactory.getPlatformMBeanServer();
      if (!server.isRegistered(name)) {
        server.registerMBean(new Jmx(new WeftMBeanImpl()), name);
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

  @Override
  public Map<String, Boolean> getCategories() {
    Map<String, Boolean> m = new LinkedHashMap<>();
    WeftConfig c = WeftRuntime.config();
    for (TraceCategory cat : TraceCategory.values()) {
      m.put(cat.categoryName(), c.bool(Key.of(cat)));
    }
    return m;
  }

  @Override
  public void setCategory(String name, boolean on) {
    TraceCategory cat = TraceCategory.byName(name);
    if (cat == null) {
      throw new IllegalArgumentException("unknown Weft category: " + name);
    }
    put(Key.of(cat), on);
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
    return getSpansDroppedQueueFull()
        + getSpansDroppedCollectorError()
        + getSpansDroppedAtShutdown();
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
  public long getSpansDroppedAtShutdown() {
    return p() == null ? 0 : p().droppedAtShutdown();
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
  public long getQueueBytes() {
    return p() == null ? 0 : p().queuedBytes();
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

  /**
   * The registered MBean: the {@link WeftMXBean} attributes, plus one {@code Trace<Category>}
   * attribute per row of {@link TraceCategory}, derived from the table.
   */
  static final class Jmx extends StandardMBean {
    private final WeftMBeanImpl impl;

    Jmx(WeftMBeanImpl impl) {
      super(impl, WeftMXBean.class, true);
      this.impl = impl;
    }

    static String attribute(TraceCategory c) {
      String n = c.categoryName();
      return "Trace" + Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private static TraceCategory category(String attribute) {
      for (TraceCategory c : TraceCategory.values()) {
        if (attribute(c).equals(attribute)) {
          return c;
        }
      }
      return null;
    }

    @Override
    public Object getAttribute(String name)
        throws javax.management.MBeanException,
            javax.management.ReflectionException,
            AttributeNotFoundException {
      TraceCategory c = category(name);
      if (c != null) {
        return WeftRuntime.config().bool(Key.of(c));
      }
      return super.getAttribute(name);
    }

    @Override
    public void setAttribute(Attribute a)
        throws javax.management.MBeanException,
            javax.management.ReflectionException,
            AttributeNotFoundException,
            javax.management.InvalidAttributeValueException {
      TraceCategory c = category(a.getName());
      if (c == null) {
        super.setAttribute(a);
      } else if (a.getValue() instanceof Boolean) {
        impl.setCategory(c.categoryName(), (Boolean) a.getValue());
      } else {
        throw new javax.management.InvalidAttributeValueException(a.getName() + " is boolean");
      }
    }

    @Override
    public javax.management.AttributeList getAttributes(String[] names) {
      javax.management.AttributeList list = new javax.management.AttributeList();
      for (String n : names) {
        try {
          list.add(new Attribute(n, getAttribute(n)));
        } catch (Exception e) {
          // left out, as StandardMBean does
        }
      }
      return list;
    }

    @Override
    public MBeanInfo getMBeanInfo() {
      MBeanInfo base = super.getMBeanInfo();
      List<MBeanAttributeInfo> attrs = new ArrayList<>(List.of(base.getAttributes()));
      for (TraceCategory c : TraceCategory.values()) {
        attrs.add(
            new MBeanAttributeInfo(
                attribute(c), "boolean", c.key() + ": " + c.description(), true, true, true));
      }
      return new MBeanInfo(
          base.getClassName(),
          base.getDescription(),
          attrs.toArray(new MBeanAttributeInfo[0]),
          base.getConstructors(),
          base.getOperations(),
          base.getNotifications(),
          base.getDescriptor());
    }
  }
}
