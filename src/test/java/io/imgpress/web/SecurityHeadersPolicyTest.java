package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The image sources of the policy follow the store's public URLs. */
class SecurityHeadersPolicyTest {

  @Test
  void imagesServedFromElsewhereAddTheStoragesOrigin() {
    ImageStore cdn = store("https://cdn.example.com/imgpress/");
    Optional<String> origin = SecurityHeadersFilter.storageOrigin(cdn);
    assertThat(origin).hasValue("https://cdn.example.com");
    assertThat(SecurityHeadersFilter.policy(origin, false))
        .contains("img-src 'self' https://cdn.example.com http: https:;")
        .contains("style-src 'self';");
  }

  @Test
  void imagesServedByTheServiceAddNothing() {
    assertThat(SecurityHeadersFilter.storageOrigin(store(null))).isEmpty();
    assertThat(SecurityHeadersFilter.policy(Optional.empty(), false))
        .contains("img-src 'self' http: https:;");
  }

  private static ImageStore store(String publicBase) {
    return new ImageStore() {
      @Override
      public Stored put(StorageKey key, byte[] bytes) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Optional<StoredImage> get(StorageKey key) {
        return Optional.empty();
      }

      @Override
      public Optional<String> publicUrl(StorageKey key) {
        return Optional.ofNullable(publicBase)
            .map(base -> base + key.requestId() + "/" + key.file());
      }

      @Override
      public void delete(StorageKey key) {
        throw new UnsupportedOperationException();
      }

      @Override
      public int deleteRequest(java.util.UUID requestId) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void checkHealth() {}
    };
  }
}
