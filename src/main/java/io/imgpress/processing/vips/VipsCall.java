package io.imgpress.processing.vips;

import static java.lang.foreign.MemorySegment.NULL;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.imgpress.processing.ImageFormat;
import io.imgpress.processing.RgbPixels;
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
    return resize(image, width, height, VipsLibrary.KERNEL_LINEAR);
  }

  private MemorySegment resize(MemorySegment image, int width, int height, int kernelType) {
    double hscale = (double) width / width(image);
    double vscale = (double) height / height(image);
    MemorySegment out = arena.allocate(ADDRESS);
    MemorySegment v = c("vscale");
    MemorySegment kernel = c("kernel");
    return image(
        out,
        () ->
            (int) vips.resize.invokeExact(image, out, hscale, v, vscale, kernel, kernelType, NULL));
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
    return saved(rc, buf, len);
  }

  /**
   * Lossy WebP at {@code quality}, with sharp's defaults (which are libvips' too): effort 4 of 0–6,
   * no smart subsampling (plain 4:2:0), no metadata.
   */
  byte[] webpsave(MemorySegment image, int quality) {
    MemorySegment buf = arena.allocate(ADDRESS);
    MemorySegment len = arena.allocate(JAVA_LONG);
    MemorySegment q = c("Q");
    MemorySegment effort = c("effort");
    MemorySegment smart = c("smart_subsample");
    MemorySegment strip = c("strip");
    int rc =
        invoke(
            () ->
                (int)
                    vips.webpsave.invokeExact(
                        image,
                        buf,
                        len,
                        q,
                        quality,
                        effort,
                        WEBP_EFFORT,
                        smart,
                        0,
                        strip,
                        1,
                        NULL));
    // libvips 8.14 writes EXIF into WebP despite strip.
    return WebpMetadata.strip(saved(rc, buf, len));
  }

  /**
   * AVIF (AV1 in HEIF) at {@code quality}, with sharp's defaults: effort 4 of 0–9, 8-bit, chroma
   * 4:4:4 (sharp's {@code chromaSubsampling: '4:4:4'}), no metadata.
   */
  byte[] avifsave(MemorySegment image, int quality) {
    MemorySegment buf = arena.allocate(ADDRESS);
    MemorySegment len = arena.allocate(JAVA_LONG);
    MemorySegment q = c("Q");
    MemorySegment compression = c("compression");
    MemorySegment effort = c("effort");
    MemorySegment subsample = c("subsample_mode");
    MemorySegment strip = c("strip");
    int rc =
        invoke(
            () ->
                (int)
                    vips.heifsave.invokeExact(
                        image,
                        buf,
                        len,
                        q,
                        quality,
                        compression,
                        VipsLibrary.HEIF_COMPRESSION_AV1,
                        effort,
                        AVIF_EFFORT,
                        subsample,
                        VipsLibrary.SUBSAMPLE_OFF,
                        strip,
                        1,
                        NULL));
    return saved(rc, buf, len);
  }

  /** sharp's default WebP effort (libvips' too). */
  static final int WEBP_EFFORT = 4;

  /** sharp's default AVIF effort (libvips' too). */
  static final int AVIF_EFFORT = 4;

  /**
   * Scaled to {@code width} × {@code height} with the lanczos3 kernel (after a box shrink by the
   * whole factor), as sharp's resize does by default: sharp, without ringing worth mentioning.
   */
  MemorySegment resizeLanczos(MemorySegment image, int width, int height) {
    return resize(image, width, height, VipsLibrary.KERNEL_LANCZOS3);
  }

  /**
   * The image computed to memory as 8-bit RGB, for comparing pixels: grey gains two copies of its
   * band. Works on a sequential image too (it reads it once, top to bottom).
   */
  RgbPixels rgbPixels(MemorySegment image) {
    if (bandFormat(image) != VipsLibrary.FORMAT_UCHAR) {
      image = castUchar(image);
    }
    if (bands(image) != 3) {
      image = colourspace(image, VipsLibrary.INTERPRETATION_SRGB);
      if (hasAlpha(image)) {
        image = flattenOnWhite(image);
      }
    }
    int width = width(image);
    int height = height(image);
    MemorySegment size = arena.allocate(JAVA_LONG);
    MemorySegment in = image;
    MemorySegment data = invoke(() -> (MemorySegment) vips.writeToMemory.invokeExact(in, size));
    if (data.equals(NULL)) {
      throw error();
    }
    try {
      return new RgbPixels(
          width, height, data.reinterpret(size.get(JAVA_LONG, 0)).toArray(JAVA_BYTE));
    } finally {
      gFree(data);
    }
  }

  /** An 8-bit RGB image over a copy of {@code pixels}, random access, freed with this call. */
  MemorySegment fromPixels(RgbPixels pixels) {
    MemorySegment data = arena.allocateFrom(JAVA_BYTE, pixels.rgb());
    MemorySegment image =
        invoke(
            () ->
                (MemorySegment)
                    vips.newFromMemory.invokeExact(
                        data,
                        data.byteSize(),
                        pixels.width(),
                        pixels.height(),
                        3,
                        VipsLibrary.FORMAT_UCHAR));
    if (image.equals(NULL)) {
      throw error();
    }
    images.push(image);
    return image;
  }

  /**
   * Decodes a buffer this service encoded (JPEG, WebP or AVIF) to 8-bit RGB, with the loader
   * libvips picks by its bytes.
   */
  RgbPixels decode(byte[] encoded) {
    MemorySegment bytes = arena.allocateFrom(JAVA_BYTE, encoded);
    MemorySegment options = c("");
    MemorySegment image =
        invoke(
            () ->
                (MemorySegment)
                    vips.newFromBuffer.invokeExact(bytes, bytes.byteSize(), options, NULL));
    if (image.equals(NULL)) {
      throw error();
    }
    images.push(image);
    // Finding the loader asks every loader whether the bytes are its format; some leave an error
    // in libvips' buffer (e.g. "bad seek") even though another said yes, which the next failure
    // would report as its own.
    gFree(invoke(() -> (MemorySegment) vips.errorBufferCopy.invokeExact()));
    return rgbPixels(image);
  }

  /** The {@code width} × {@code height} area at ({@code left}, {@code top}). */
  MemorySegment extract(MemorySegment image, int left, int top, int width, int height) {
    MemorySegment out = arena.allocate(ADDRESS);
    return image(
        out, () -> (int) vips.extractArea.invokeExact(image, out, left, top, width, height, NULL));
  }

  int bands(MemorySegment image) {
    return intOf(vips.bands, image);
  }

  private byte[] saved(int rc, MemorySegment buf, MemorySegment len) {
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
