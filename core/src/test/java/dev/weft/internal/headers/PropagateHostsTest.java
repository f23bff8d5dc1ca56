package dev.weft.internal.headers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PropagateHostsTest {
  @Test
  void internalAllowsLoopbackPrivateAddressesAndInternalNames_only() {
    for (String h :
        new String[] {
          "127.0.0.1", "localhost", "10.1.2.3", "172.16.0.9", "172.31.255.255", "192.168.1.1",
          "169.254.169.254", "[::1]", "[fe80::1]", "[fd00::5]", "keystone", "queue.svc",
          "api.default.svc.cluster.local", "db.internal", "printer.local", "LOCALHOST"
        }) {
      assertThat(PropagateHosts.allows("internal", h)).as(h).isTrue();
    }
    for (String h :
        new String[] {
          "8.8.8.8",
          "172.32.0.1",
          "192.169.0.1",
          "example.com",
          "evil.example",
          "[2001:db8::1]",
          "hooks.slack.com",
          "",
          "10.0.0",
          "1.2.3.4.5"
        }) {
      assertThat(PropagateHosts.allows("internal", h)).as(h).isFalse();
    }
    assertThat(PropagateHosts.allows("internal", null)).isFalse();
  }

  @Test
  void listsNameHostsDomainsAndRanges() {
    String spec = "api.example.com, .corp.example, 203.0.113.0/24";
    assertThat(PropagateHosts.allows(spec, "api.example.com")).isTrue();
    assertThat(PropagateHosts.allows(spec, "www.example.com")).isFalse();
    assertThat(PropagateHosts.allows(spec, "corp.example")).isTrue();
    assertThat(PropagateHosts.allows(spec, "a.b.corp.example")).isTrue();
    assertThat(PropagateHosts.allows(spec, "notcorp.example")).isFalse();
    assertThat(PropagateHosts.allows(spec, "203.0.113.77")).isTrue();
    assertThat(PropagateHosts.allows(spec, "203.0.114.1")).isFalse();
    assertThat(PropagateHosts.allows(spec, "127.0.0.1")).isFalse(); // no "internal" in the list
    assertThat(PropagateHosts.allows("*", "anything.example")).isTrue();
    assertThat(PropagateHosts.allows("", "127.0.0.1")).isFalse();
  }
}
