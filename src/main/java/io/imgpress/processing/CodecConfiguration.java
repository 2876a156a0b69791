package io.imgpress.processing;

import io.imgpress.ConditionalOnWorkerRole;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
   * The engine, its version, and per engine in use the formats it reads and writes, e.g. {@code
   * {"engine":"native","version":"8.14.1","reads":{"native":["jpeg",…],"portable":[…]},
   * "writes":{…}}}.
   */
  @Bean
  InfoContributor codecInfo(CodecEngine engine) {
    Map<String, List<String>> reads = new TreeMap<>();
    Map<String, List<String>> writes = new TreeMap<>();
    engine
        .engines()
        .forEach(
            (name, codec) -> {
              reads.put(name, names(codec.decodes()));
              writes.put(name, names(codec.encodes()));
            });
    Map<String, Object> details =
        Map.of(
            "engine", engine.name(), "version", engine.version(), "reads", reads, "writes", writes);
    return info -> info.withDetail("codec", details);
  }

  /** Lower-case names in declaration order: jpeg, png, … */
  private static List<String> names(Set<? extends Enum<?>> formats) {
    return formats.stream()
        .sorted(Comparator.comparingInt(Enum::ordinal))
        .map(f -> f.name().toLowerCase(Locale.ROOT))
        .toList();
  }
}
