package io.imgpress.processing.vips;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.imgpress.processing.ImageFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Our own binding to libvips 8.x ({@code libvips.so.42}): only the calls the pipeline needs, each a
 * downcall handle bound once. libvips' optional arguments are C varargs, so every distinct list of
 * options is its own handle, always ending in a NULL pointer. Loaded at most once per JVM; the
 * handles are the only state kept.
 */
final class VipsLibrary {

  static final String SONAME = "libvips.so.42";

  private static final Linker LINKER = Linker.nativeLinker();
  private static final Holder HOLDER = Holder.load();

  // Enum values from vips/image.h, foreign.h (8.14), stable across 8.x.
  static final int ACCESS_RANDOM = 0;
  static final int ACCESS_SEQUENTIAL = 1;
  static final int FAIL_ON_TRUNCATED = 1;
  static final int INTERPRETATION_CMYK = 15;
  static final int INTERPRETATION_SRGB = 22;
  static final int FORMAT_UCHAR = 0;
  static final int SUBSAMPLE_ON = 1;
  static final int KERNEL_LINEAR = 1;
  static final int KERNEL_LANCZOS3 = 5;
  static final int HEIF_COMPRESSION_AV1 = 4;
  static final int SUBSAMPLE_OFF = 2;

  final MethodHandle jpegload;
  final MethodHandle pngload;
  final MethodHandle gifload;
  final MethodHandle webpload;
  // null where this libvips was built without the loader (see loaders)
  final MethodHandle heifload;
  final MethodHandle tiffload;
  final MethodHandle jxlload;
  final MethodHandle jp2kload;
  private final Set<ImageFormat> loaders;
  final MethodHandle width;
  final MethodHandle height;
  final MethodHandle orientation;
  final MethodHandle interpretation;
  final MethodHandle format;
  final MethodHandle hasAlpha;
  final MethodHandle typeOf;
  final MethodHandle autorot;
  final MethodHandle iccTransform;
  final MethodHandle colourspace;
  final MethodHandle castUchar;
  final MethodHandle flatten;
  final MethodHandle arrayDoubleNew;
  final MethodHandle areaUnref;
  final MethodHandle jpegsave;
  final MethodHandle jpegloadShrink;
  final MethodHandle resize;
  final MethodHandle bands;
  final MethodHandle webpsave;
  final MethodHandle heifsave;
  final MethodHandle newFromBuffer;
  final MethodHandle newFromMemory;
  final MethodHandle writeToMemory;
  final MethodHandle extractArea;
  private final MethodHandle typeFind;
  final MethodHandle errorBufferCopy;
  final MethodHandle errorClear;
  final MethodHandle objectUnref;
  final MethodHandle free;
  private final MethodHandle concurrencySet;
  private final MethodHandle trackedMem;
  private final String version;

  private VipsLibrary(SymbolLookup lib) throws Throwable {
    MethodHandle init = handle(lib, "vips_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    try (Arena arena = Arena.ofConfined()) {
      if ((int) init.invokeExact(arena.allocateFrom("imgpress")) != 0) {
        throw new IllegalStateException("vips_init failed");
      }
    }
    VipsLog.routeWarnings(LINKER, lib);
    // Every operation has exactly one caller, so the operation cache would only hold pixels and
    // (worse) references to input buffers we free right after the call.
    handle(lib, "vips_cache_set_max", FunctionDescriptor.ofVoid(JAVA_INT)).invokeExact(0);
    // imgpress already runs one image per worker thread; libvips' own threads per image (one per
    // core by default) only add contention: measured, one thread gave the better throughput.
    concurrencySet = handle(lib, "vips_concurrency_set", FunctionDescriptor.ofVoid(JAVA_INT));
    concurrencySet.invokeExact(1);
    // Loaders are called by name for the sniffed format; this keeps ImageMagick, PDF, SVG and the
    // other "untrusted" loaders unreachable even if that ever changes.
    handle(lib, "vips_block_untrusted_set", FunctionDescriptor.ofVoid(JAVA_INT)).invokeExact(1);
    // Except two that the service reads on purpose: libvips counts the JPEG XL and JPEG 2000
    // loaders as untrusted because libjxl and OpenJPEG are less fuzzed than its other libraries.
    // They are only ever reached for bytes sniffed as their own format, under the pixel guard.
    MethodHandle blockSet =
        handle(lib, "vips_operation_block_set", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
    try (Arena arena = Arena.ofConfined()) {
      for (String loader : new String[] {"VipsForeignLoadJxl", "VipsForeignLoadJp2k"}) {
        blockSet.invokeExact(arena.allocateFrom(loader), 0);
      }
    }
    MethodHandle versionOf = handle(lib, "vips_version", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    version =
        (int) versionOf.invokeExact(0)
            + "."
            + (int) versionOf.invokeExact(1)
            + "."
            + (int) versionOf.invokeExact(2);

    // (buf, len, VipsImage **out, "access", int, "fail_on", int, NULL)
    FunctionDescriptor load =
        FunctionDescriptor.of(
            JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    jpegload = variadic(lib, "vips_jpegload_buffer", load, 3);
    // (buf, len, out, "access", int, "fail_on", int, "shrink", int, NULL): decodes at 1/shrink
    jpegloadShrink =
        variadic(
            lib,
            "vips_jpegload_buffer",
            FunctionDescriptor.of(
                JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
                ADDRESS, JAVA_INT, ADDRESS),
            3);
    pngload = variadic(lib, "vips_pngload_buffer", load, 3);
    gifload = variadic(lib, "vips_gifload_buffer", load, 3);
    webpload = variadic(lib, "vips_webpload_buffer", load, 3);
    // Optional libraries: a libvips built without one has no such operation. The primary image of
    // a HEIF (libheif applies its rotation and mirroring itself), page 0 of a TIFF.
    typeFind = handle(lib, "vips_type_find", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS));
    EnumSet<ImageFormat> found =
        EnumSet.of(ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.GIF, ImageFormat.WEBP);
    heifload = optionalLoader(lib, typeFind, "heifload_buffer", load);
    if (heifload != null) {
      // libheif decodes AV1 too where it was built with dav1d or aom, as Debian's is.
      found.addAll(List.of(ImageFormat.HEIF, ImageFormat.AVIF));
    }
    tiffload = optionalLoader(lib, typeFind, "tiffload_buffer", load);
    if (tiffload != null) {
      found.add(ImageFormat.TIFF);
    }
    jxlload = optionalLoader(lib, typeFind, "jxlload_buffer", load);
    if (jxlload != null) {
      found.add(ImageFormat.JXL);
    }
    jp2kload = optionalLoader(lib, typeFind, "jp2kload_buffer", load);
    if (jp2kload != null) {
      found.add(ImageFormat.JP2);
    }
    loaders = Collections.unmodifiableSet(found);

    FunctionDescriptor intOfImage = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    width = handle(lib, "vips_image_get_width", intOfImage);
    height = handle(lib, "vips_image_get_height", intOfImage);
    orientation = handle(lib, "vips_image_get_orientation", intOfImage);
    interpretation = handle(lib, "vips_image_get_interpretation", intOfImage);
    format = handle(lib, "vips_image_get_format", intOfImage);
    hasAlpha = handle(lib, "vips_image_hasalpha", intOfImage);
    // GType is a gsize
    typeOf =
        handle(lib, "vips_image_get_typeof", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS));

    // (in, VipsImage **out, NULL)
    FunctionDescriptor unary = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    autorot = variadic(lib, "vips_autorot", unary, 2);
    castUchar = variadic(lib, "vips_cast_uchar", unary, 2);
    // (in, out, "srgb", "embedded", TRUE, "input_profile", name, "depth", 8, NULL)
    iccTransform =
        variadic(
            lib,
            "vips_icc_transform",
            FunctionDescriptor.of(
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                JAVA_INT, ADDRESS),
            3);
    // (in, out, VipsInterpretation space, NULL)
    colourspace =
        variadic(
            lib,
            "vips_colourspace",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS),
            3);
    // (in, out, "background", VipsArrayDouble *, NULL)
    flatten =
        variadic(
            lib,
            "vips_flatten",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
            2);
    arrayDoubleNew =
        handle(lib, "vips_array_double_new", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    areaUnref = handle(lib, "vips_area_unref", FunctionDescriptor.ofVoid(ADDRESS));
    // (in, void **buf, size_t *len, "Q", int, "optimize_coding", int, "strip", int,
    //  "subsample_mode", int, NULL)
    jpegsave =
        variadic(
            lib,
            "vips_jpegsave_buffer",
            FunctionDescriptor.of(
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
            3);
    // (in, out, double hscale, "vscale", double, "kernel", VipsKernel, NULL)
    resize =
        variadic(
            lib,
            "vips_resize",
            FunctionDescriptor.of(
                JAVA_INT,
                ADDRESS,
                ADDRESS,
                JAVA_DOUBLE,
                ADDRESS,
                JAVA_DOUBLE,
                ADDRESS,
                JAVA_INT,
                ADDRESS),
            3);
    bands = handle(lib, "vips_image_get_bands", intOfImage);
    // (in, void **buf, size_t *len, "Q", int, "effort", int, "smart_subsample", int, "strip", int,
    //  NULL)
    webpsave =
        variadic(
            lib,
            "vips_webpsave_buffer",
            FunctionDescriptor.of(
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
            3);
    // (in, void **buf, size_t *len, "Q", int, "compression", int, "effort", int,
    //  "subsample_mode", int, "strip", int, NULL)
    heifsave =
        variadic(
            lib,
            "vips_heifsave_buffer",
            FunctionDescriptor.of(
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
            3);
    // (buf, len, const char *option_string, NULL): the loader libvips sniffs; only used on
    // buffers this service encoded itself.
    newFromBuffer =
        variadic(
            lib,
            "vips_image_new_from_buffer",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS),
            3);
    // (data, size, width, height, bands, VipsBandFormat): wraps memory the caller keeps alive
    newFromMemory =
        handle(
            lib,
            "vips_image_new_from_memory",
            FunctionDescriptor.of(
                ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    // (in, size_t *size): the pixels, computed, in a buffer to g_free
    writeToMemory =
        handle(lib, "vips_image_write_to_memory", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    // (in, out, left, top, width, height, NULL)
    extractArea =
        variadic(
            lib,
            "vips_extract_area",
            FunctionDescriptor.of(
                JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
            6);
    // Copies and clears libvips' (process-wide) error buffer under its lock.
    errorBufferCopy = handle(lib, "vips_error_buffer_copy", FunctionDescriptor.of(ADDRESS));
    errorClear = handle(lib, "vips_error_clear", FunctionDescriptor.ofVoid());
    objectUnref = handle(lib, "g_object_unref", FunctionDescriptor.ofVoid(ADDRESS));
    free = handle(lib, "g_free", FunctionDescriptor.ofVoid(ADDRESS));
    trackedMem = handle(lib, "vips_tracked_get_mem", FunctionDescriptor.of(JAVA_LONG));
  }

  /** True when libvips could be loaded and initialised in this JVM. */
  static boolean isAvailable() {
    return HOLDER.library != null;
  }

  /** Why libvips is not available, or null when it is. */
  static String unavailableReason() {
    return HOLDER.failure;
  }

  static VipsLibrary get() {
    if (HOLDER.library == null) {
      throw new IllegalStateException("libvips is not available: " + HOLDER.failure);
    }
    return HOLDER.library;
  }

  /** The input formats this libvips has a loader for. */
  Set<ImageFormat> loaders() {
    return loaders;
  }

  /** libvips' own version, e.g. "8.14.1". */
  String version() {
    return version;
  }

  /** Whether this libvips build has the operation, e.g. {@code "heifsave_buffer"}. */
  boolean hasOperation(String nickname) {
    try (Arena arena = Arena.ofConfined()) {
      return (long)
              typeFind.invokeExact(
                  arena.allocateFrom("VipsOperation"), arena.allocateFrom(nickname))
          != 0;
    } catch (Throwable e) {
      throw new IllegalStateException("vips_type_find failed", e);
    }
  }

  /** Bytes of pixel buffers libvips holds right now (its tracked allocations), for leak checks. */
  long trackedMemory() {
    try {
      return (long) trackedMem.invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException("vips_tracked_get_mem failed", e);
    }
  }

  /** Sets how many threads libvips uses to evaluate one image (process-wide; 0: one per core). */
  void concurrency(int threads) {
    try {
      concurrencySet.invokeExact(threads);
    } catch (Throwable e) {
      throw new IllegalStateException("vips_concurrency_set failed", e);
    }
  }

  static MethodHandle handle(SymbolLookup lib, String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(find(lib, name), fd);
  }

  /** The loader's handle when libvips has the operation ({@code nickname}), otherwise null. */
  private static MethodHandle optionalLoader(
      SymbolLookup lib, MethodHandle typeFind, String nickname, FunctionDescriptor fd)
      throws Throwable {
    long type;
    try (Arena arena = Arena.ofConfined()) {
      type =
          (long)
              typeFind.invokeExact(
                  arena.allocateFrom("VipsOperation"), arena.allocateFrom(nickname));
    }
    if (type == 0 || lib.find("vips_" + nickname).isEmpty()) {
      return null;
    }
    return variadic(lib, "vips_" + nickname, fd, 3);
  }

  private static MethodHandle variadic(
      SymbolLookup lib, String name, FunctionDescriptor fd, int firstVariadic) {
    return LINKER.downcallHandle(
        find(lib, name), fd, Linker.Option.firstVariadicArg(firstVariadic));
  }

  private static MemorySegment find(SymbolLookup lib, String name) {
    return lib.find(name).orElseThrow(() -> new IllegalStateException("missing symbol " + name));
  }

  private record Holder(VipsLibrary library, String failure) {

    static Holder load() {
      SymbolLookup lib;
      try {
        lib = SymbolLookup.libraryLookup(SONAME, Arena.global());
      } catch (IllegalArgumentException e) {
        return new Holder(null, SONAME + " not found");
      }
      try {
        return new Holder(new VipsLibrary(lib), null);
      } catch (Throwable e) {
        return new Holder(null, SONAME + " could not be initialised: " + e.getMessage());
      }
    }
  }
}
