package io.imgpress;

import java.util.Locale;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * A worker ({@code imgpress.role=worker}) serves only the management endpoints on its HTTP port:
 * the page's static files and the API description are switched off there, as the API controllers
 * are ({@link ConditionalOnApiRole}), so an API path answers 404 (problem+json) instead of a page
 * or a description of an API that this process does not serve. These are defaults of lowest
 * precedence, and the role is read when they are asked for, so every property source counts.
 */
class RoleEnvironment implements EnvironmentPostProcessor {

  static final Set<String> OFF_ON_WORKERS =
      Set.of(
          "spring.web.resources.add-mappings",
          "springdoc.api-docs.enabled",
          "springdoc.swagger-ui.enabled");

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    env.getPropertySources()
        .addLast(
            new PropertySource<>("imgpressRole") {
              @Override
              public Object getProperty(String name) {
                if (!OFF_ON_WORKERS.contains(name)) {
                  return null;
                }
                String role = env.getProperty("imgpress.role", "all").strip();
                return role.toLowerCase(Locale.ROOT).equals("worker") ? "false" : null;
              }
            });
  }
}
