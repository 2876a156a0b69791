package io.imgpress.processing;

/** Decides the format from the bytes, never from the Content-Type an origin claims. */
final class SniffStep {

  ImageFormat sniff(byte[] bytes) {
    return FormatSniffer.sniff(bytes)
        .orElseThrow(
            () ->
                ImageFailureException.permanent(
                    FailureReason.NOT_IMAGE, FormatSniffer.describe(bytes)));
  }
}
