package io.imgpress.storage;

import io.imgpress.ImgpressProperties;
import io.imgpress.storage.local.LocalImageStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the image store; the embedded default keeps files under the data dir. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

  @Bean
  ImageStore imageStore(ImgpressProperties properties) {
    return new LocalImageStore(properties.dataDir().resolve("images"));
  }
}
