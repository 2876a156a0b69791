package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The committed {@code swagger.yaml} must be what the running app serves at {@code
 * /v3/api-docs.yaml}, so a change to the API cannot go unnoticed in review. Regenerate it with
 *
 * <pre>./mvnw test -Dtest=OpenApiSpecTest -Dimgpress.openapi.write=true</pre>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiSpecTest {

  static final String REGENERATE =
      "./mvnw test -Dtest=OpenApiSpecTest -Dimgpress.openapi.write=true";
  // The server entry names the host and port the spec was fetched through.
  static final String SERVER = "http://localhost:8080";

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    Path dataDir = Files.createTempDirectory("imgpress-openapi");
    registry.add("imgpress.data-dir", dataDir::toString);
  }

  @Test
  void committedSpecIsWhatTheAppServes() throws IOException {
    HttpResponse<String> response =
        new ApiClient("http://127.0.0.1:" + port).get("/v3/api-docs.yaml");
    assertThat(response.statusCode()).isEqualTo(200);
    String served = normalise(response.body());
    Path committed = Path.of(System.getProperty("basedir", ".")).resolve("swagger.yaml");

    if (Boolean.getBoolean("imgpress.openapi.write")) {
      Files.writeString(committed, served, StandardCharsets.UTF_8);
      return;
    }
    String expected =
        Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "";
    if (!served.equals(expected)) {
      throw new AssertionError(
          "swagger.yaml is not what the app serves at /v3/api-docs.yaml; "
              + firstDifference(expected, served)
              + "\nIf the API change is intended, regenerate the file and commit it:\n  "
              + REGENERATE);
    }
  }

  private String normalise(String yaml) {
    return yaml.replace("\r\n", "\n")
            .replace("http://127.0.0.1:" + port, SERVER)
            .replace("http://localhost:" + port, SERVER)
            .stripTrailing()
        + "\n";
  }

  private static String firstDifference(String expected, String served) {
    List<String> a = expected.lines().toList();
    List<String> b = served.lines().toList();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String was = i < a.size() ? a.get(i) : "<end of file>";
      String is = i < b.size() ? b.get(i) : "<end of file>";
      if (!was.equals(is)) {
        return "first difference on line %d:\n  swagger.yaml: %s\n  served:       %s"
            .formatted(i + 1, was, is);
      }
    }
    return "they differ only in line ends";
  }
}
