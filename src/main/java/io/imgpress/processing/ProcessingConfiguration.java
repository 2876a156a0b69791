package io.imgpress.processing;

import io.imgpress.queue.WorkerSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Sizes the queue's worker pool from {@code imgpress.processing.*}. */
@Configuration(proxyBeanMethods = false)
class ProcessingConfiguration {

  @Bean
  WorkerSettings workerSettings(ProcessingProperties properties) {
    return new WorkerSettings(properties.workers(), properties.lease(), properties.pollInterval());
  }
}
