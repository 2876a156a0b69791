package io.imgpress.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.request.OutputFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StorageKeyTest {

  @Test
  void acceptsOnlyNumericJpegNames() {
    UUID id = UUID.randomUUID();
    assertThat(StorageKey.forImage(id, 12).publicPath()).isEqualTo("/images/" + id + "/12.jpg");
    for (String bad : new String[] {"../x.jpg", "a.jpg", "1.png", "1.jpg/..", "", "1.jpg\0"}) {
      assertThatThrownBy(() -> new StorageKey(id, bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void outputsMayBeWebpOrAvifAndTellTheirMediaType() {
    UUID id = UUID.randomUUID();
    assertThat(StorageKey.forImage(id, 12, OutputFormat.WEBP).file()).isEqualTo("12.webp");
    assertThat(StorageKey.forImage(id, 12, OutputFormat.AVIF).publicPath())
        .isEqualTo("/images/" + id + "/12.avif");
    assertThat(new StorageKey(id, "3.webp").mediaType()).isEqualTo("image/webp");
    assertThat(new StorageKey(id, "3.avif").mediaType()).isEqualTo("image/avif");
    assertThat(new StorageKey(id, "3.jpg").mediaType()).isEqualTo("image/jpeg");
    assertThat(StorageKey.forPreview(id, 3).mediaType()).isEqualTo("image/jpeg");
    for (String bad :
        new String[] {"1.WEBP", "1-before.webp", "1-before.avif", "1.jpeg", "1.avi"}) {
      assertThatThrownBy(() -> new StorageKey(id, bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void previewsLiveBesideTheirOutputs() {
    UUID id = UUID.randomUUID();
    assertThat(StorageKey.forPreview(id, 12).publicPath())
        .isEqualTo("/images/" + id + "/12-before.jpg");
    assertThat(new StorageKey(id, "12-before.jpg")).isEqualTo(StorageKey.forPreview(id, 12));
    for (String bad : new String[] {"-before.jpg", "1-before.png", "1-after.jpg", "1-before"}) {
      assertThatThrownBy(() -> new StorageKey(id, bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
