package io.imgpress.storage.local;

import io.imgpress.ImgpressProperties;
import io.imgpress.storage.ImageStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The embedded default's image store: files under the data dir. */
@Configuration(proxyBeanMethods = false)
class LocalStorageConfiguration {

  @Bean
  ImageStore imageStore(ImgpressProperties properties) {
    return new LocalImageStore(properties.dataDir().resolve("images"));
  }
}
