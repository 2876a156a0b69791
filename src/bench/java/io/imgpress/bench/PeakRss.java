package io.imgpress.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set size so far, from Linux's {@code /proc/self/status}. */
final class PeakRss {

  private PeakRss() {}

  /** VmHWM in MB (2^20 bytes), or -1 where there is no procfs. */
  static double megabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }
}
