package io.imgpress;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Publishes {@code imgpress.data-dir} as an absolute path for the H2 URL: H2 refuses a file path
 * that is only implicitly relative ({@code data} rather than {@code ./data}), and users should not
 * have to know that.
 */
class DataDirEnvironment implements EnvironmentPostProcessor {

  static final String ABSOLUTE = "imgpress.internal.data-dir-absolute";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    String dataDir = env.getProperty("imgpress.data-dir", "./data");
    String absolute = Path.of(dataDir).toAbsolutePath().normalize().toString();
    env.getPropertySources()
        .addLast(new MapPropertySource("imgpressDataDir", Map.of(ABSOLUTE, absolute)));
  }
}
