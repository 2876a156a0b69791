package io.imgpress.storage.local;

import io.imgpress.ImgpressProperties;
import io.imgpress.storage.ImageStore;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code imgpress.storage=local}, the embedded default's image store: files under the data dir. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "imgpress.storage", havingValue = "local", matchIfMissing = true)
class LocalStorageConfiguration {

  private static final Logger log = LoggerFactory.getLogger(LocalStorageConfiguration.class);

  /** Older than any write in progress could be: a write takes milliseconds. */
  static final Duration STALE = Duration.ofMinutes(1);

  @Bean
  ImageStore imageStore(ImgpressProperties properties) {
    if (properties.role() != ImgpressProperties.Role.ALL) {
      log.warn(
          "imgpress.role={} keeps images under {}: API nodes serve only what their own data dir"
              + " holds, so every node must share that folder (one shared file system), or set"
              + " imgpress.storage=s3",
          properties.role().name().toLowerCase(Locale.ROOT),
          properties.dataDir().toAbsolutePath().resolve("images"));
    }
    LocalImageStore store = new LocalImageStore(properties.dataDir().resolve("images"));
    log.info("Image store: a batch of images is made durable by {}", store.durability());
    int removed = store.removeStaleTemporaryFiles(STALE);
    if (removed > 0) {
      log.info(
          "Removed {} temporary files left by writes a previous process did not finish", removed);
    }
    return store;
  }
}
