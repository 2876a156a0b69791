package io.imgpress.processing;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.net.FetchProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The shared limits of the image pipeline, from the settings of processing and fetching. */
@ConditionalOnWorkerRole
@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

  @Bean
  FetchLimits fetchLimits(FetchProperties fetch, Clock clock) {
    return new FetchLimits(fetch.maxConcurrent(), fetch.maxConcurrentPerHost(), clock);
  }

  @Bean
  ByteBudget sourceBuffer(ProcessingProperties processing) {
    return new ByteBudget(processing.bufferBytes(Runtime.getRuntime().maxMemory()));
  }
}
