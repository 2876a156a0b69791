package io.imgpress.processing.vips;

import java.lang.foreign.MemorySegment;

/**
 * Brings a loaded image to 8-bit sRGB (alpha kept): through its ICC profile when it has one, the
 * built-in CMYK profile for untagged CMYK, plain colourspace conversion for the rest (grey,
 * 16-bit). libvips would otherwise save CMYK as CMYK and 16-bit by truncation.
 */
final class VipsSrgb {

  private VipsSrgb() {}

  static MemorySegment toSrgb(VipsCall call, MemorySegment image) {
    boolean cmyk = call.interpretation(image) == VipsLibrary.INTERPRETATION_CMYK;
    if (cmyk || call.hasIccProfile(image)) {
      try {
        image = call.iccToSrgb(image, cmyk ? "cmyk" : "srgb");
      } catch (VipsException e) {
        // A profile the colour engine rejects (broken, or for other channels) is ignored, as
        // browsers do; CMYK then still goes through the colourspace conversion below.
      }
    }
    if (call.interpretation(image) != VipsLibrary.INTERPRETATION_SRGB) {
      image = call.colourspace(image, VipsLibrary.INTERPRETATION_SRGB);
    }
    if (call.bandFormat(image) != VipsLibrary.FORMAT_UCHAR) {
      image = call.castUchar(image);
    }
    return image;
  }
}
