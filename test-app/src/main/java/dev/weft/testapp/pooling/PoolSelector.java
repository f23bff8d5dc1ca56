package dev.weft.testapp.pooling;

import dev.weft.annotations.Category;
import dev.weft.annotations.Traced;
import dev.weft.testapp.management.ManagementStore;
import dev.weft.testapp.management.PoolRecord;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Chooses the pool of a new queue as Zaqar's pooling catalog does: a weighted random choice among
 * the registered pools of the queue's flavor (a queue without a flavor: the pools that serve no
 * flavor), each pool drawn with probability {@code weight / sum(weights)}. Pools of weight 0 are
 * never chosen.
 */
public class PoolSelector {
  private final ManagementStore management;
  private final RandomGenerator random;

  public PoolSelector(ManagementStore management, RandomGenerator random) {
    this.management = management;
    this.random = random;
  }

  /**
   * The name of the pool for a new queue, or null when no pool can take it. The span records the
   * queue name (argument) and the chosen pool (result).
   */
  @Traced(name = "pool_select", category = Category.POOLING, hideArgs = false, hideResult = false)
  public String select(String queue) {
    return choose(management.poolsOfFlavor(null), random.nextDouble());
  }

  /**
   * The name of the pool for a new queue of {@code flavor}, or null when none of the flavor's pools
   * can take it. The span records the queue, the flavor and the chosen pool.
   */
  @Traced(name = "pool_select", category = Category.POOLING, hideArgs = false, hideResult = false)
  public String select(String queue, String flavor) {
    return choose(management.poolsOfFlavor(flavor), random.nextDouble());
  }

  /**
   * The weighted choice itself: {@code draw} in [0, 1) picks the pool whose cumulative weight
   * interval contains {@code draw * total}, walking the pools in the order given.
   */
  static String choose(List<PoolRecord> pools, double draw) {
    long total = 0;
    for (PoolRecord p : pools) {
      total += Math.max(0, p.getWeight());
    }
    if (total == 0) {
      return null;
    }
    double point = draw * total;
    long upTo = 0;
    String last = null;
    for (PoolRecord p : pools) {
      if (p.getWeight() <= 0) {
        continue;
      }
      upTo += p.getWeight();
      last = p.getName();
      if (point < upTo) {
        return last;
      }
    }
    return last;
  }
}
