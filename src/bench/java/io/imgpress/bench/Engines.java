package io.imgpress.bench;

import io.imgpress.processing.Codec;
import io.imgpress.processing.imageio.ImageIoCodec;
import io.imgpress.processing.vips.VipsCodec;
import java.util.List;

/** The one place the benchmark turns an engine name into a {@link Codec}. */
final class Engines {

  /** Every name {@link #create} accepts. */
  static final List<String> NAMES = List.of("auto", "native", "native-noopt", "portable");

  private Engines() {}

  /**
   * @throws UnavailableException when the engine cannot run on this machine
   * @throws IllegalArgumentException for an unknown name
   */
  static Codec create(String name) {
    return switch (name) {
      case "native" -> vips(true); // the service's defaults: optimised Huffman tables, 4:2:0
      case "native-noopt" -> vips(false); // imgpress.codec.optimize-coding=false
      case "portable" -> new ImageIoCodec();
      // The service's default, imgpress.codec.engine=auto: native where libvips loads.
      case "auto" -> VipsCodec.isAvailable() ? vips(true) : new ImageIoCodec();
      default -> throw new IllegalArgumentException("unknown engine " + name + "; one of " + NAMES);
    };
  }

  private static Codec vips(boolean optimizeCoding) {
    if (!VipsCodec.isAvailable()) {
      throw new UnavailableException(VipsCodec.unavailableReason());
    }
    return new VipsCodec(optimizeCoding, new ImageIoCodec(optimizeCoding));
  }

  /** The engine exists but cannot run here (for example, a native library is missing). */
  static final class UnavailableException extends RuntimeException {
    UnavailableException(String message) {
      super(message);
    }
  }
}
