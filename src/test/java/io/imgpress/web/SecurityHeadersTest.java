package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import io.imgpress.support.ApiClient;
import io.imgpress.support.RawHttp;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The browser security headers on every kind of answer, and the refusal of uploads that a browser
 * sends for a page on another site, with the default settings (no CORS allow-list, no API keys).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecurityHeadersTest {

  static final String CSV =
      "S. No.,Product Name,Input Image Urls\r\n1,SKU1,http://127.0.0.1:9/a.jpg\r\n";
  static final String PAGE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none';"
          + " object-src 'none'";
  static Path dataDir;

  final HttpClient http = HttpClient.newHttpClient();
  final JsonMapper json = JsonMapper.builder().build();
  @LocalServerPort int port;
  @Autowired ImageStore store;

  @BeforeAll
  static void createDataDir() throws IOException {
    dataDir = Files.createTempDirectory("imgpress-headers");
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
  }

  @Test
  void thePageAllowsOnlyItsOwnScriptsAndStyles() throws Exception {
    HttpResponse<String> page = get("/", Map.of());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script type=\"module\" src=\"/app.js\">");
    assertSecurityHeaders(page.headers());
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(PAGE_POLICY);
    // What CSP 'self' would block if it crept back into the page.
    assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
    assertThat(page.body()).doesNotContain("<style").doesNotContainPattern("\\son[a-z]+=");
    assertThat(page.body()).doesNotContain(" style=");
    for (String asset : new String[] {"/app.js", "/engine.js", "/app.css"}) {
      assertSecurityHeaders(get(asset, Map.of()).headers());
    }
  }

  @Test
  void apiAnswersProblemsImagesAndActuatorCarryTheHeaders() throws Exception {
    HttpResponse<String> list = get("/requests", Map.of());
    assertThat(list.statusCode()).isEqualTo(200);
    assertSecurityHeaders(list.headers());

    HttpResponse<String> missing = get("/status/" + UUID.randomUUID(), Map.of());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertSecurityHeaders(missing.headers());

    HttpResponse<String> containerError = get("/no/such/path", Map.of());
    assertThat(containerError.statusCode()).isEqualTo(404);
    assertSecurityHeaders(containerError.headers());

    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 1);
    store.put(key, TestImages.jpeg(40, 30, 1));
    HttpResponse<String> image = get(key.publicPath(), Map.of());
    assertThat(image.statusCode()).isEqualTo(200);
    assertThat(image.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertSecurityHeaders(image.headers());
    assertSecurityHeaders(get("/images/" + UUID.randomUUID() + "/1.jpg", Map.of()).headers());

    assertSecurityHeaders(get("/actuator/health", Map.of()).headers());
  }

  @Test
  void whatTheConnectorRefusesCarriesTheHeadersToo() {
    RawHttp.Answer answer = new RawHttp(port).send("GET /status/abc%2Fdef HTTP/1.1");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(answer.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
  }

  @Test
  void swaggerUiGetsInlineStylesAndDataImagesButNoInlineScripts() throws Exception {
    HttpResponse<String> ui = get("/swagger-ui/index.html", Map.of());
    assertThat(ui.statusCode()).isEqualTo(200);
    String policy = ui.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy)
        .contains("style-src 'self' 'unsafe-inline'")
        .contains("img-src 'self' data:")
        .contains("script-src 'self';")
        .contains("frame-ancestors 'none'");
  }

  @Test
  void uploadsFromThisOriginOrWithoutAnOriginAreAccepted() throws Exception {
    ApiClient api = new ApiClient(base());
    assertThat(api.upload(CSV, Map.of()).statusCode()).isEqualTo(202);
    assertThat(api.upload(CSV, Map.of(), Map.of("Origin", base())).statusCode()).isEqualTo(202);
    assertThat(api.upload(CSV, Map.of(), Map.of("Origin", "HTTP://LOCALHOST:" + port)).statusCode())
        .isEqualTo(202);
    assertThat(
            api.upload(CSV, Map.of(), Map.of("Origin", base(), "Sec-Fetch-Site", "same-origin"))
                .statusCode())
        .isEqualTo(202);
  }

  @Test
  void uploadsFromAPageElsewhereAreRefused() throws Exception {
    ApiClient api = new ApiClient(base());
    for (Map<String, String> headers :
        java.util.List.of(
            Map.of("Origin", "https://evil.example"),
            Map.of("Origin", "http://localhost:" + (port + 1)),
            Map.of("Origin", "null"),
            Map.of("Sec-Fetch-Site", "cross-site"))) {
      HttpResponse<String> refused = api.upload(CSV, Map.of(), headers);
      assertThat(refused.statusCode()).as(headers.toString()).isEqualTo(403);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertSecurityHeaders(refused.headers());
      JsonNode problem = json.readTree(refused.body());
      assertThat(problem.get("type").asString()).isEqualTo("/problems/origin-not-allowed");
      assertThat(problem.get("title").asString()).isEqualTo("Origin not allowed");
      assertThat(problem.get("status").asInt()).isEqualTo(403);
      assertThat(problem.get("detail").asString()).contains("another origin");
      assertThat(problem.get("instance").asString()).isEqualTo("/upload");
    }
  }

  @Test
  void withoutAnAllowListThereIsNoCors() throws Exception {
    HttpResponse<String> preflight =
        send(
            HttpRequest.newBuilder(URI.create(base() + "/upload"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .build());
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    HttpResponse<String> read = get("/requests", Map.of("Origin", "https://app.example.com"));
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  static void assertSecurityHeaders(HttpHeaders headers) {
    assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(headers.firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            policy ->
                assertThat(policy)
                    .contains("frame-ancestors 'none'")
                    .contains("default-src 'none'"));
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path));
    headers.forEach(request::header);
    return send(request.build());
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private String base() {
    return "http://localhost:" + port;
  }
}
