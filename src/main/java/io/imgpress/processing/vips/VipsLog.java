package io.imgpress.processing.vips;

import static java.lang.foreign.MemorySegment.NULL;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvips reports what loaders complain about ("Not a PNG file", "Premature end of JPEG file") as
 * GLib warnings printed straight to stderr. The failure itself already reaches the image's error
 * and the log, so the warnings go to this class's debug log instead.
 */
final class VipsLog {

  private static final Logger log = LoggerFactory.getLogger(VipsLog.class);
  private static final int G_LOG_LEVEL_WARNING = 1 << 4;
  private static final int G_LOG_LEVEL_MESSAGE = 1 << 5;
  private static final int G_LOG_LEVEL_INFO = 1 << 6;
  private static final int G_LOG_LEVEL_DEBUG = 1 << 7;

  private VipsLog() {}

  static void routeWarnings(Linker linker, SymbolLookup lib) throws Throwable {
    MethodType type =
        MethodType.methodType(
            void.class, MemorySegment.class, int.class, MemorySegment.class, MemorySegment.class);
    MethodHandle target = MethodHandles.lookup().findStatic(VipsLog.class, "onMessage", type);
    // The handler lives as long as the process: GLib keeps calling it.
    MemorySegment handler =
        linker.upcallStub(
            target, FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
    MethodHandle setHandler =
        VipsLibrary.handle(
            lib,
            "g_log_set_handler",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    int levels = G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG;
    int id =
        (int) setHandler.invokeExact(Arena.global().allocateFrom("VIPS"), levels, handler, NULL);
  }

  // Called on libvips' threads as well as ours: it must never throw, or the JVM stops.
  private static void onMessage(
      MemorySegment domain, int level, MemorySegment message, MemorySegment userData) {
    try {
      if (log.isDebugEnabled()) {
        log.debug("libvips: {}", message.reinterpret(Integer.MAX_VALUE).getString(0).strip());
      }
    } catch (Throwable ignored) {
      // nothing sensible can be done inside a native callback
    }
  }
}
