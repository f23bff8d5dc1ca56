package dev.weft.instrumentation.tomcatjdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.tomcat.jdbc.pool.DataSource;
import org.junit.jupiter.api.Test;

/** A checkout span names its pool by the pool's name property (no connection is opened here). */
class TomcatJdbcAspectTest {
  @Test
  void thePoolIsNamedByItsNameProperty() {
    DataSource ds = new DataSource();
    ds.setName("management");
    assertThat(TomcatJdbcAspect.POOL.of(ds)).isEqualTo("management");
  }

  @Test
  void anUnnamedPoolHasTheNameTomcatJdbcGivesIt() {
    DataSource ds = new DataSource();
    assertThat(TomcatJdbcAspect.POOL.of(ds)).startsWith("Tomcat Connection Pool[");
  }
}
