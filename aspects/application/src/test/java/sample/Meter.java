package sample;

import dev.weft.annotations.Traced;

/** A woven sample whose traced methods return primitives (long, int, boolean). */
public class Meter {
  private long total;

  @Traced
  public long add(long n) {
    total += n;
    return total;
  }

  @Traced
  public int half(int n) {
    return n / 2;
  }

  @Traced
  public boolean over(long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("negative limit");
    }
    return total > limit;
  }

  @Traced(hideResult = false)
  public long reported() {
    return total;
  }
}
