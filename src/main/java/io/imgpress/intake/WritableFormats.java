package io.imgpress.intake;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.processing.CodecEngine;
import io.imgpress.request.OutputFormat;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The output formats an upload may ask for: those the codec engine of this process writes, so a
 * request the workers could only fail is refused at once with the reason. A process of role {@code
 * api} has no engine (its workers run elsewhere, maybe on another engine), so it takes every
 * format; a worker whose engine cannot write one fails those images with the reason instead.
 */
@ConditionalOnApiRole
@Component
class WritableFormats {

  private final CodecEngine engine;

  /** From the engine of this process, when it has one (roles {@code all} and {@code worker}). */
  @Autowired
  WritableFormats(ObjectProvider<CodecEngine> engine) {
    this(engine.getIfAvailable());
  }

  /**
   * @param engine null to take every format
   */
  WritableFormats(CodecEngine engine) {
    this.engine = engine;
  }

  /** Refuses a format the engine does not write, naming the engine that would. */
  void check(OutputFormat format) {
    if (engine == null || engine.codec().encodes().contains(format)) {
      return;
    }
    String name = format.apiName();
    throw new InvalidUploadException(
        "format",
        engine.name().equals("native")
            ? name
                + " output is not written by this service's engine (native, libvips "
                + engine.version()
                + ")"
            : name
                + " output needs the native engine (libvips); this service runs the "
                + engine.name()
                + " engine");
  }
}
