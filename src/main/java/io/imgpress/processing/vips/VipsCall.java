package io.imgpress.processing.vips;

import static java.lang.foreign.MemorySegment.NULL;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.imgpress.processing.ImageFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The native side of one codec call, used by one thread. Everything it allocates is freed when it
 * closes: each image it made is unreffed (newest first, and all before the input buffer they read
 * from), then the confined arena holding the input copy, out-parameters and option names is
 * released. What libvips allocates for us (the JPEG, error text) is copied to the Java heap and
 * g_free'd at once.
 */
final class VipsCall implements AutoCloseable {

  private final VipsLibrary vips;
  private final Arena arena = Arena.ofConfined();
  private final Deque<MemorySegment> images = new ArrayDeque<>();
  private MemorySegment source;
  private ImageFormat format;

  VipsCall(VipsLibrary vips) {
    this.vips = vips;
  }

  /**
   * The first frame (page 0 of a TIFF, the primary image of a HEIF), lazily: only the header is
   * read until pixels are needed.
   */
  MemorySegment load(ImageFormat format, byte[] bytes, int access) {
    this.format = format;
    if (source == null) {
      // libvips reads this memory in place, for as long as any image made from it lives.
      source = arena.allocateFrom(JAVA_BYTE, bytes);
    }
    MethodHandle loader =
        switch (format) {
          case JPEG -> vips.jpegload;
          case PNG -> vips.pngload;
          case GIF -> vips.gifload;
          case WEBP -> vips.webpload;
          case HEIF, AVIF -> vips.heifload;
          case TIFF -> vips.tiffload;
          case JXL -> vips.jxlload;
          case JP2 -> vips.jp2kload;
          case BMP -> null;
        };
    if (loader == null) {
      throw new IllegalArgumentException("this libvips has no loader for " + format);
    }
    MemorySegment out = arena.allocate(ADDRESS);
    // Without fail_on a cut-off file decodes "successfully", its missing part grey.
    int failOn = VipsLibrary.FAIL_ON_TRUNCATED;
    return image(
        out,
        () ->
            (int)
                loader.invokeExact(
                    source,
                    source.byteSize(),
                    out,
                    c("access"),
                    access,
                    c("fail_on"),
                    failOn,
                    NULL));
  }

  int width(MemorySegment image) {
    return intOf(vips.width, image);
  }

  int height(MemorySegment image) {
    return intOf(vips.height, image);
  }

  /** EXIF orientation 1–8 as the loader parsed it; 1 when there is none. */
  int orientation(MemorySegment image) {
    return intOf(vips.orientation, image);
  }

  int interpretation(MemorySegment image) {
    return intOf(vips.interpretation, image);
  }

  int bandFormat(MemorySegment image) {
    return intOf(vips.format, image);
  }

  boolean hasAlpha(MemorySegment image) {
    return intOf(vips.hasAlpha, image) != 0;
  }

  boolean hasIccProfile(MemorySegment image) {
    MemorySegment name = c("icc-profile-data");
    return invoke(() -> (long) vips.typeOf.invokeExact(image, name)) != 0;
  }

  /** Upright pixels, with the orientation tag removed from the metadata. */
  MemorySegment autorot(MemorySegment image) {
    MemorySegment out = arena.allocate(ADDRESS);
    return image(out, () -> (int) vips.autorot.invokeExact(image, out, NULL));
  }

  /** 8-bit sRGB through the embedded profile, or through {@code fallbackProfile} without one. */
  MemorySegment iccToSrgb(MemorySegment image, String fallbackProfile) {
    MemorySegment out = arena.allocate(ADDRESS);
    MemorySegment srgb = c("srgb");
    MemorySegment embedded = c("embedded");
    MemorySegment input = c("input_profile");
    MemorySegment fallback = c(fallbackProfile);
    MemorySegment depth = c("depth");
    return image(
        out,
        () ->
            (int)
                vips.iccTransform.invokeExact(
                    image, out, srgb, embedded, 1, input, fallback, depth, 8, NULL));
  }

  MemorySegment colourspace(MemorySegment image, int interpretation) {
    MemorySegment out = arena.allocate(ADDRESS);
    return image(out, () -> (int) vips.colourspace.invokeExact(image, out, interpretation, NULL));
  }

  MemorySegment castUchar(MemorySegment image) {
    MemorySegment out = arena.allocate(ADDRESS);
    return image(out, () -> (int) vips.castUchar.invokeExact(image, out, NULL));
  }

  /** Composites over white; libvips' default background is black. */
  MemorySegment flattenOnWhite(MemorySegment image) {
    MemorySegment white = arena.allocateFrom(JAVA_DOUBLE, 255, 255, 255);
    MemorySegment out = arena.allocate(ADDRESS);
    MemorySegment name = c("background");
    MemorySegment background =
        invoke(() -> (MemorySegment) vips.arrayDoubleNew.invokeExact(white, 3));
    try {
      return image(out, () -> (int) vips.flatten.invokeExact(image, out, name, background, NULL));
    } finally {
      // The operation took its own reference to the array.
      invoke(
          () -> {
            vips.areaUnref.invokeExact(background);
            return null;
          });
    }
  }

  /**
   * The loaded JPEG (see {@link #load}) again, decoded at 1/{@code shrink} of its size (1, 2, 4 or
   * 8): the DCT scales for nearly free, so a small copy costs little more than reading the file.
   */
  MemorySegment jpegloadShrunk(int access, int shrink) {
    if (source == null || format != ImageFormat.JPEG) {
      throw new IllegalStateException("load a JPEG first");
    }
    MemorySegment out = arena.allocate(ADDRESS);
    MemorySegment accessName = c("access");
    MemorySegment failOn = c("fail_on");
    MemorySegment shrinkName = c("shrink");
    return image(
        out,
        () ->
            (int)
                vips.jpegloadShrink.invokeExact(
                    source,
                    source.byteSize(),
                    out,
                    accessName,
                    access,
                    failOn,
                    VipsLibrary.FAIL_ON_TRUNCATED,
                    shrinkName,
                    shrink,
                    NULL));
  }

  /**
   * Scaled to {@code width} × {@code height} with a linear kernel (after a box shrink by the whole
   * factor): enough for a preview, and cheaper than lanczos3.
   */
  MemorySegment resizeLinear(MemorySegment image, int width, int height) {
    double hscale = (double) width / width(image);
    double vscale = (double) height / height(image);
    MemorySegment out = arena.allocate(ADDRESS);
    MemorySegment v = c("vscale");
    MemorySegment kernel = c("kernel");
    return image(
        out,
        () ->
            (int)
                vips.resize.invokeExact(
                    image, out, hscale, v, vscale, kernel, VipsLibrary.KERNEL_LINEAR, NULL));
  }

  /** Runs the whole pipeline and returns the JPEG, copied out of libvips' buffer. */
  byte[] jpegsave(MemorySegment image, int quality, boolean optimizeCoding) {
    MemorySegment buf = arena.allocate(ADDRESS);
    MemorySegment len = arena.allocate(JAVA_LONG);
    MemorySegment q = c("Q");
    MemorySegment optimize = c("optimize_coding");
    MemorySegment strip = c("strip");
    MemorySegment subsample = c("subsample_mode");
    int rc =
        invoke(
            () ->
                (int)
                    vips.jpegsave.invokeExact(
                        image,
                        buf,
                        len,
                        q,
                        quality,
                        optimize,
                        optimizeCoding ? 1 : 0,
                        // No EXIF (so no stale orientation) and no ICC: the pixels are sRGB.
                        strip,
                        1,
                        // As the portable engine does; "auto" turns to 4:4:4 from Q 90 up.
                        subsample,
                        VipsLibrary.SUBSAMPLE_ON,
                        NULL));
    if (rc != 0) {
      throw error();
    }
    MemorySegment data = buf.get(ADDRESS, 0);
    try {
      return data.reinterpret(len.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
    } finally {
      gFree(data);
    }
  }

  @Override
  public void close() {
    if (format == ImageFormat.HEIF || format == ImageFormat.AVIF) {
      // The HEIF loader's harmless seek errors (see VipsException) would fill libvips' error
      // buffer, which has a fixed size, until real errors no longer fit.
      invoke(
          () -> {
            vips.errorClear.invokeExact();
            return null;
          });
    }
    try {
      while (!images.isEmpty()) {
        MemorySegment image = images.pop();
        invoke(
            () -> {
              vips.objectUnref.invokeExact(image);
              return null;
            });
      }
    } finally {
      arena.close();
    }
  }

  private MemorySegment image(MemorySegment out, Downcall<Integer> call) {
    if (invoke(call) != 0) {
      throw error();
    }
    MemorySegment image = out.get(ADDRESS, 0);
    images.push(image);
    return image;
  }

  private VipsException error() {
    MemorySegment text = invoke(() -> (MemorySegment) vips.errorBufferCopy.invokeExact());
    try {
      String buffer = text.reinterpret(Integer.MAX_VALUE).getString(0);
      return VipsException.fromErrorBuffer(buffer, "unreadable " + format + " data");
    } finally {
      gFree(text);
    }
  }

  private void gFree(MemorySegment pointer) {
    invoke(
        () -> {
          vips.free.invokeExact(pointer);
          return null;
        });
  }

  private int intOf(MethodHandle getter, MemorySegment image) {
    return invoke(() -> (int) getter.invokeExact(image));
  }

  private MemorySegment c(String string) {
    return arena.allocateFrom(string);
  }

  /** A downcall: invokeExact declares Throwable, though a downcall only throws errors. */
  @FunctionalInterface
  private interface Downcall<T> {
    T invoke() throws Throwable;
  }

  private static <T> T invoke(Downcall<T> call) {
    try {
      return call.invoke();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
