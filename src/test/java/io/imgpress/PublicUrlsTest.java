package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PublicUrlsTest {

  private final PublicUrls urls =
      new PublicUrls(new ImgpressProperties(Path.of("data"), "https://imgpress.example.com/"));

  @Test
  void aPathGoesUnderTheBaseUrl() {
    assertThat(urls.absolute("/images/r/1.jpg"))
        .isEqualTo("https://imgpress.example.com/images/r/1.jpg");
    assertThat(urls.absolute(null)).isNull();
  }

  @Test
  void anOutputRecordedAsAnAbsoluteUrlStaysAsItIs() {
    assertThat(urls.absolute("https://cdn.example.com/r/1.jpg"))
        .isEqualTo("https://cdn.example.com/r/1.jpg");
    assertThat(urls.absolute("http://minio.internal:9000/b/r/1.jpg"))
        .isEqualTo("http://minio.internal:9000/b/r/1.jpg");
  }
}
