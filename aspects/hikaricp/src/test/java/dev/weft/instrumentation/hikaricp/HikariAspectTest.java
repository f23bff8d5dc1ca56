package dev.weft.instrumentation.hikaricp;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

/** A checkout span names its pool by HikariCP's poolName (no connection is opened here). */
class HikariAspectTest {
  @Test
  void thePoolIsNamedByItsPoolName() {
    try (HikariDataSource ds = new HikariDataSource()) {
      ds.setPoolName("management");
      assertThat(HikariAspect.POOL.of(ds)).isEqualTo("management");
    }
  }
}
