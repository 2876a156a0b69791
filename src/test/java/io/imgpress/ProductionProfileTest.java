package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The production profile moves the management endpoints off the service's port: health, metrics and
 * Prometheus answer on the management port only, the API and the page on the service port.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // The profile's port is fixed (8081, or IMGPRESS_MANAGEMENT_PORT); a free one here.
    properties = "IMGPRESS_MANAGEMENT_PORT=0")
@ActiveProfiles("production")
class ProductionProfileTest {

  static Path dataDir;

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired Environment environment;

  @BeforeAll
  static void dataDir() throws IOException {
    dataDir = Files.createTempDirectory("imgpress-production-profile");
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
  }

  @Test
  void managementAnswersOnItsOwnPortOnly() {
    ApiClient service = new ApiClient("http://127.0.0.1:" + port);
    ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);

    assertThat(managementPort).isNotEqualTo(port);
    assertThat(management.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    assertThat(management.get("/actuator/prometheus").statusCode()).isEqualTo(200);
    assertThat(service.get("/actuator/health").statusCode()).isEqualTo(404);
    assertThat(service.get("/actuator/prometheus").statusCode()).isEqualTo(404);
    assertThat(service.get("/requests").statusCode()).isEqualTo(200);
  }

  @Test
  void itsPortIs8081UnlessImgpressManagementPortSaysOtherwise() throws IOException {
    PropertySource<?> profile =
        new YamlPropertySourceLoader()
            .load("production", new ClassPathResource("application-production.yml"))
            .getFirst();

    assertThat(profile.getProperty("management.server.port"))
        .hasToString("${IMGPRESS_MANAGEMENT_PORT:8081}");
    assertThat(environment.getProperty("management.server.port")).isEqualTo("0");
  }
}
