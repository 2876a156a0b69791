package io.imgpress.processing;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.request.OutputFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link Codec} of the application and its pixel budget, from the engine picked at start-up
 * ({@code io.imgpress.wiring.CodecSelection}).
 */
@ConditionalOnWorkerRole
@Configuration(proxyBeanMethods = false)
class CodecConfiguration {

  private static final Logger log = LoggerFactory.getLogger(CodecConfiguration.class);

  @Bean
  Codec codec(CodecEngine engine) {
    return engine.codec();
  }

  @Bean
  PixelBudget pixelBudget(CodecProperties properties, CodecEngine engine) {
    long pixels =
        properties.pixelBudget() > 0
            ? properties.pixelBudget()
            : PixelBudget.auto(engine.name(), Runtime.getRuntime().maxMemory());
    log.info("Pixel budget: {} MP decoded at once", pixels / 1_000_000);
    return new PixelBudget(pixels);
  }

  /**
   * The engine, its version and, per engine, the output formats it writes (API names, as the
   * upload's {@code format} takes them), which the web page offers: {@code
   * {"engine":"native","version":"8.14.1","writes":{"native":["jpeg"]}}}.
   */
  @Bean
  InfoContributor codecInfo(CodecEngine engine) {
    List<String> writes =
        engine.codec().encodes().stream().sorted().map(OutputFormat::apiName).toList();
    return info ->
        info.withDetail(
            "codec",
            Map.of(
                "engine",
                engine.name(),
                "version",
                engine.version(),
                "writes",
                Map.of(engine.name(), writes)));
  }
}
