package io.imgpress.wiring;

import io.imgpress.processing.AutoQuality;
import io.imgpress.processing.CodecEngine;
import io.imgpress.processing.CodecProperties;
import io.imgpress.processing.CodecProperties.Engine;
import io.imgpress.processing.imageio.ImageIoCodec;
import io.imgpress.processing.vips.VipsCodec;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the native engine where libvips loads (or must), the portable one otherwise. */
final class CodecSelector {

  static final String INSTALL_HINT = "apt-get install libvips42";

  /** Measured for README's Codec engines section. */
  static final String NATIVE_GAIN =
      "which is faster (12 MP on 2 cores: JPEG about 5x, PNG and EXIF-rotated JPEG about 2x)";

  private static final Logger log = LoggerFactory.getLogger(CodecSelector.class);

  /** What the selector needs to know about libvips; swapped in tests. */
  interface NativeLibrary {
    /** Why libvips cannot be used, or null when it can. */
    String unavailableReason();

    default boolean isAvailable() {
      return unavailableReason() == null;
    }
  }

  static final NativeLibrary LIBVIPS = VipsCodec::unavailableReason;

  private final NativeLibrary libvips;

  CodecSelector(NativeLibrary libvips) {
    this.libvips = libvips;
  }

  CodecEngine select(CodecProperties properties) {
    return select(properties, AutoQuality.DEFAULT_TARGET);
  }

  /**
   * @param autoQualityTarget the SSIM automatic quality aims for, in either engine
   */
  CodecEngine select(CodecProperties properties, double autoQualityTarget) {
    ImageIoCodec portable = new ImageIoCodec(properties.optimizeCoding(), autoQualityTarget);
    Engine wanted = properties.engine();
    if (wanted == Engine.PORTABLE) {
      return portable(portable);
    }
    if (!libvips.isAvailable()) {
      if (wanted == Engine.NATIVE) {
        throw new IllegalStateException(
            "imgpress.codec.engine=native, but libvips cannot be loaded ("
                + libvips.unavailableReason()
                + "): "
                + INSTALL_HINT
                + ", or set imgpress.codec.engine=auto or portable");
      }
      log.warn(
          "libvips not available ({}): using the portable codec engine; {} gets the native one,"
              + " {}",
          libvips.unavailableReason(),
          INSTALL_HINT,
          NATIVE_GAIN);
      return portable(portable);
    }
    // BMP stays with the portable engine: libvips could only read it through ImageMagick.
    VipsCodec vips =
        new VipsCodec(
            properties.optimizeCoding(), portable, VipsCodec.SMALL_PIXELS, autoQualityTarget);
    return new CodecEngine(
        "native", vips.version(), vips, Map.of("native", vips, "portable", portable));
  }

  private static CodecEngine portable(ImageIoCodec codec) {
    return new CodecEngine("portable", System.getProperty("java.version"), codec);
  }
}
