package io.imgpress.processing;

/**
 * The engine chosen at start-up: the codec itself and what to tell about it.
 *
 * @param name {@code native} or {@code portable}
 * @param version the libvips version, or the Java version for the portable engine
 */
public record CodecEngine(String name, String version, Codec codec) {}
