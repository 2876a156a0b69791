package io.imgpress.bench;

import io.imgpress.processing.Codec;
import io.imgpress.processing.imageio.ImageIoCodec;
import java.util.List;

/** The one place the benchmark turns an engine name into a {@link Codec}. */
final class Engines {

  /** Every name {@link #create} accepts, in the order the benchmark runs them. */
  static final List<String> NAMES = List.of("portable");

  private Engines() {}

  /**
   * @throws UnavailableException when the engine cannot run on this machine
   * @throws IllegalArgumentException for an unknown name
   */
  static Codec create(String name) {
    return switch (name) {
      case "portable" -> new ImageIoCodec();
      default -> throw new IllegalArgumentException("unknown engine " + name + "; one of " + NAMES);
    };
  }

  /** The engine exists but cannot run here (for example, a native library is missing). */
  static final class UnavailableException extends RuntimeException {
    UnavailableException(String message) {
      super(message);
    }
  }
}
