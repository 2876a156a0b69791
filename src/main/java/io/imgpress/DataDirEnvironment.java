package io.imgpress;

import java.nio.file.Path;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Publishes {@code imgpress.data-dir} as an absolute path for the H2 URL: H2 refuses a file path
 * that is only implicitly relative ({@code data} rather than {@code ./data}), and users should not
 * have to know that. The path is worked out when it is asked for, not now, so property sources
 * added later (tests' dynamic properties, for one) still count.
 */
class DataDirEnvironment implements EnvironmentPostProcessor {

  static final String ABSOLUTE = "imgpress.internal.data-dir-absolute";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    env.getPropertySources()
        .addLast(
            new PropertySource<>("imgpressDataDir") {
              @Override
              public Object getProperty(String name) {
                if (!ABSOLUTE.equals(name)) {
                  return null;
                }
                String dataDir = env.getProperty("imgpress.data-dir", "./data");
                return Path.of(dataDir).toAbsolutePath().normalize().toString();
              }
            });
  }
}
