package io.imgpress.processing;

import java.util.Map;
import java.util.Objects;

/**
 * The engine chosen at start-up: the codec itself and what to tell about it.
 *
 * @param name {@code native} or {@code portable}
 * @param version the libvips version, or the Java version for the portable engine
 * @param engines every engine in use by name, the chosen one included: the native engine hands some
 *     images to the portable one, so {@code /actuator/info} tells what each reads
 */
public record CodecEngine(String name, String version, Codec codec, Map<String, Codec> engines) {

  public CodecEngine {
    Objects.requireNonNull(codec, "codec");
    engines = Map.copyOf(engines);
    if (engines.get(name) != codec) {
      throw new IllegalArgumentException("the engines must map " + name + " to the codec");
    }
  }

  /** An engine that works alone. */
  public CodecEngine(String name, String version, Codec codec) {
    this(name, version, codec, Map.of(name, codec));
  }
}
