package dev.weft.it.ctw;

import dev.weft.Trace;
import dev.weft.annotations.Category;
import dev.weft.annotations.Traced;

/** An application's pool selector, like Zaqar's catalog lookup: picks a pool per queue. */
public class PoolSelector {
  @Traced(name = "select_pool", category = Category.POOLING)
  public String select(String queue) {
    String pool = queue.startsWith("fast-") ? "redis-1" : "mongo-1";
    Trace.annotate("pool", pool);
    return pool;
  }
}
