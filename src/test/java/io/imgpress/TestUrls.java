package io.imgpress;

import java.nio.file.Path;

/** {@link PublicUrls} for tests in other packages, which cannot see its constructor. */
public final class TestUrls {

  private TestUrls() {}

  public static PublicUrls at(String publicBaseUrl) {
    return new PublicUrls(new ImgpressProperties(Path.of("."), publicBaseUrl));
  }
}
