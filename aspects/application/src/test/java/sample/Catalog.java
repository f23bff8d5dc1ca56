package sample;

import dev.weft.annotations.Category;
import dev.weft.annotations.NotTraced;
import dev.weft.annotations.Traced;

/** A woven sample: nested @Traced calls, a type-level annotation, an exclusion, a failure. */
@Traced
public class Catalog {
  private final Store store = new Store();

  public String lookup(String queue) {
    return select(queue) + ":" + store.get(queue);
  }

  @Traced(name = "catalog_select", category = Category.POOLING)
  public String select(String queue) {
    return "pool-" + (queue.length() % 2);
  }

  @NotTraced
  public int size() {
    return 1;
  }

  public void fail(String why) throws java.io.IOException {
    throw new java.io.IOException(why);
  }

  /** Not public: not traced by the type-level annotation. */
  String helper() {
    return "h";
  }

  /** A plain method of an unannotated class. */
  public static class Store {
    @Traced(hideArgs = false, hideResult = false)
    public String get(String key) {
      return "v-" + key;
    }

    public String untraced() {
      return "u";
    }
  }
}
