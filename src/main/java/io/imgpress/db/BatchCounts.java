package io.imgpress.db;

import java.util.ArrayList;
import java.util.List;

/** Reads the update counts of a JDBC batch of conditional single-row statements. */
public final class BatchCounts {

  private BatchCounts() {}

  /** Whether each statement of a batch changed its row, in batch order. */
  public static List<Boolean> changedOne(int[][] counts) {
    List<Boolean> changed = new ArrayList<>();
    for (int[] batch : counts) {
      for (int count : batch) {
        changed.add(count == 1);
      }
    }
    return changed;
  }
}
