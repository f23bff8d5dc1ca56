package dev.weft.testapp.pooling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testapp.management.ManagementStore;
import dev.weft.testapp.management.PoolRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Weighted pool selection and the catalog cache, over a real H2 management database. */
class PoolingTest {
  static ManagementStore management;

  @BeforeAll
  static void open() {
    management =
        new ManagementStore("jdbc:h2:mem:pooling-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  @AfterAll
  static void close() {
    management.close();
  }

  static PoolRecord pool(String name, int weight) {
    return new PoolRecord(name, "redis://127.0.0.1:1/0", weight, 0);
  }

  @Test
  void choiceFollowsCumulativeWeights() {
    List<PoolRecord> pools = List.of(pool("a", 1), pool("b", 0), pool("c", 3));
    assertThat(PoolSelector.choose(pools, 0.0)).isEqualTo("a");
    assertThat(PoolSelector.choose(pools, 0.2499)).isEqualTo("a");
    assertThat(PoolSelector.choose(pools, 0.25)).isEqualTo("c");
    assertThat(PoolSelector.choose(pools, 0.9999)).isEqualTo("c");
  }

  @Test
  void noPoolOrOnlyZeroWeightsChoosesNothing() {
    assertThat(PoolSelector.choose(List.of(), 0.5)).isNull();
    assertThat(PoolSelector.choose(List.of(pool("a", 0), pool("b", 0)), 0.5)).isNull();
  }

  @Test
  void selectionFrequenciesFollowTheRegisteredWeights() {
    management.putPool("light", "redis://127.0.0.1:1/0", 1);
    management.putPool("heavy", "redis://127.0.0.1:1/1", 3);
    management.putPool("off", "redis://127.0.0.1:1/2", 0);
    PoolSelector selector = new PoolSelector(management, new Random(42));
    Map<String, Integer> counts = new HashMap<>();
    int draws = 400;
    for (int i = 0; i < draws; i++) {
      counts.merge(selector.select("q" + i), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("light", "heavy");
    // 1:3 within five standard deviations (sd of a binomial share: sqrt(p(1-p)/n) ~ 0.022)
    double heavyShare = counts.get("heavy") / (double) draws;
    assertThat(heavyShare).isBetween(0.75 - 0.11, 0.75 + 0.11);
    management.putPool("light", "redis://127.0.0.1:1/0", 0);
    management.putPool("heavy", "redis://127.0.0.1:1/1", 0);
  }

  @Test
  void lookupsAreCachedForTheTtlOnly() {
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    Catalog catalog = new Catalog(management, Duration.ofSeconds(5), clock::get);
    assertThat(management.createQueue("cached", "p1", "{}")).isTrue();
    assertThat(catalog.lookup("cached")).isEqualTo("p1");
    assertThat(catalog.cachedEntries()).isEqualTo(1);

    // The queue disappears behind the cache's back: within the TTL the cache still answers.
    assertThat(management.deleteQueue("cached")).isTrue();
    clock.addAndGet(Duration.ofMillis(4999).toNanos());
    assertThat(catalog.lookup("cached")).isEqualTo("p1");
    // Past the TTL the catalog reads the database again.
    clock.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(catalog.lookup("cached")).isNull();
    assertThat(catalog.cachedEntries()).isZero();
  }

  @Test
  void unknownQueuesAreNotCachedAndEvictForgets() {
    AtomicLong clock = new AtomicLong();
    Catalog catalog = new Catalog(management, Duration.ofSeconds(5), clock::get);
    assertThat(catalog.lookup("later")).isNull();
    management.createQueue("later", "p2", "{}");
    assertThat(catalog.lookup("later")).isEqualTo("p2");
    management.deleteQueue("later");
    catalog.evict("later");
    assertThat(catalog.lookup("later")).isNull();
  }
}
