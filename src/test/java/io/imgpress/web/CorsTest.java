package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code imgpress.security.cors.allowed-origins}: browser clients on the origins listed. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CorsTest {

  static final String APP = "https://app.example.com";
  static final String OTHER = "https://other.example.com";
  static Path dataDir;

  final HttpClient http = HttpClient.newHttpClient();
  final JsonMapper json = JsonMapper.builder().build();
  @LocalServerPort int port;

  @BeforeAll
  static void createDataDir() throws IOException {
    dataDir = Files.createTempDirectory("imgpress-cors");
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    // Spelled with the default port, which the browser leaves out of its Origin header.
    registry.add(
        "imgpress.security.cors.allowed-origins", () -> APP + ":443,http://localhost:3000");
  }

  @Test
  void aPreflightFromAnAllowedOriginIsAnswered() throws Exception {
    HttpResponse<String> preflight = preflight(APP, "POST", "content-type, authorization");
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
        .contains("GET")
        .contains("POST")
        .contains("DELETE");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
        .containsIgnoringCase("content-type")
        .containsIgnoringCase("authorization");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    SecurityHeadersTest.assertSecurityHeaders(preflight.headers());

    assertThat(
            preflight("http://localhost:3000", "GET", "last-event-id")
                .headers()
                .firstValue("Access-Control-Allow-Origin"))
        .hasValue("http://localhost:3000");
  }

  @Test
  void aPreflightFromAnotherOriginOrForAnotherMethodIsRefused() throws Exception {
    for (HttpResponse<String> refused :
        new HttpResponse[] {
          preflight(OTHER, "POST", "content-type"),
          preflight(APP, "PUT", "content-type"),
          preflight(APP, "POST", "x-custom")
        }) {
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      JsonNode problem = json.readTree(refused.body());
      assertThat(problem.get("type").asString()).isEqualTo("/problems/origin-not-allowed");
      assertThat(problem.get("status").asInt()).isEqualTo(403);
    }
  }

  @Test
  void anAllowedOriginReadsAnswersAndTheHeadersItNeeds() throws Exception {
    ApiClient api = new ApiClient(base());
    HttpResponse<String> upload =
        api.upload(SecurityHeadersTest.CSV, Map.of(), Map.of("Origin", APP));
    assertThat(upload.statusCode()).isEqualTo(202);
    assertThat(upload.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    assertThat(upload.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
        .contains("Location")
        .contains("Retry-After");

    HttpResponse<String> list =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/requests")).header("Origin", APP).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
  }

  @Test
  void uploadsFromAnotherOriginAreRefusedAndThisOriginStillWorks() throws Exception {
    ApiClient api = new ApiClient(base());
    HttpResponse<String> refused =
        api.upload(SecurityHeadersTest.CSV, Map.of(), Map.of("Origin", OTHER));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(json.readTree(refused.body()).get("type").asString())
        .isEqualTo("/problems/origin-not-allowed");
    assertThat(api.upload(SecurityHeadersTest.CSV, Map.of(), Map.of("Origin", base())).statusCode())
        .isEqualTo(202);
    assertThat(api.upload(SecurityHeadersTest.CSV, Map.of()).statusCode()).isEqualTo(202);
  }

  private HttpResponse<String> preflight(String origin, String method, String headers)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + "/upload"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", method)
            .header("Access-Control-Request-Headers", headers)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String base() {
    return "http://localhost:" + port;
  }
}
