package io.imgpress.wiring;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.processing.CodecEngine;
import io.imgpress.processing.CodecProperties;
import io.imgpress.processing.ImageProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Picks the codec engine at start-up. It lives in the composition root because it is the one place
 * that knows both engines (adapters never know each other).
 */
@ConditionalOnWorkerRole
@Configuration(proxyBeanMethods = false)
class CodecSelection {

  private static final Logger log = LoggerFactory.getLogger(CodecSelection.class);

  @Bean
  CodecEngine codecEngine(CodecProperties properties, ImageProperties images) {
    CodecEngine engine =
        new CodecSelector(CodecSelector.LIBVIPS).select(properties, images.autoQualityTarget());
    log.info(
        "Codec engine: {} ({} {})",
        engine.name(),
        engine.name().equals("native") ? "libvips" : "Java",
        engine.version());
    return engine;
  }
}
