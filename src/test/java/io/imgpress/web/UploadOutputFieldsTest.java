package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import io.imgpress.request.RequestRepository;
import io.imgpress.support.RawHttp;
import io.imgpress.support.RawHttp.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The output fields of {@code POST /upload} through real HTTP, on the portable engine, which writes
 * JPEG only: every refusal is a problem naming its field, and nothing is stored for it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UploadOutputFieldsTest {

  static final String CSV =
      "S. No.,Product Name,Input Image Urls\r\n1,SKU1,https://images.example.com/a.jpg\r\n";
  static final String BOUNDARY = "imgpress-output-boundary";
  static Path dataDir;

  final JsonMapper json = JsonMapper.builder().build();
  @LocalServerPort int port;
  @Autowired RequestRepository requests;
  RawHttp http;

  @BeforeAll
  static void createDataDir() throws IOException {
    dataDir = Files.createTempDirectory("imgpress-outputs");
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.codec.engine", () -> "portable");
  }

  @BeforeEach
  void client() {
    http = new RawHttp(port);
  }

  @Test
  void aFormatThePortableEngineDoesNotWriteIsRefusedNamingTheNativeEngine() {
    int before = stored();
    for (String format : new String[] {"webp", "AVIF"}) {
      JsonNode problem = problem(upload(field("format", format)), "format");
      assertThat(problem.get("detail").asString())
          .isEqualTo(
              format.toLowerCase()
                  + " output needs the native engine (libvips); this service runs the portable"
                  + " engine");
    }
    assertThat(stored()).as("nothing stored").isEqualTo(before);
  }

  @Test
  void eachInvalidOutputFieldIsAProblemNamingIt() {
    int before = stored();
    assertThat(problem(upload(field("format", "png")), "format").get("detail").asString())
        .isEqualTo("format must be jpeg, webp or avif");
    assertThat(problem(upload(field("maxWidth", "0")), "maxWidth").get("detail").asString())
        .isEqualTo("maxWidth must be a whole number of pixels from 1 to 16384");
    assertThat(problem(upload(field("maxHeight", "16385")), "maxHeight").get("detail").asString())
        .isEqualTo("maxHeight must be a whole number of pixels from 1 to 16384");
    assertThat(problem(upload(field("quality", "best")), "quality").get("detail").asString())
        .isEqualTo("quality must be a whole number from 1 to 100, or auto");
    assertThat(stored()).as("nothing stored").isEqualTo(before);
  }

  @Test
  void aRepeatedOutputFieldIsRefusedNamingIt() {
    for (String name : new String[] {"format", "maxWidth", "maxHeight"}) {
      String value = name.equals("format") ? "jpeg" : "100";
      JsonNode problem = problem(upload(field(name, value) + field(name, value)), name);
      assertThat(problem.get("detail").asString())
          .isEqualTo(name + " is given 2 times; give it once");
    }
  }

  @Test
  void jpegWithAutomaticQualityAndABoundingBoxIsAccepted() {
    Answer answer =
        upload(
            field("format", "jpeg")
                + field("quality", "Auto")
                + field("maxWidth", "800")
                + field("maxHeight", "600"));

    assertThat(answer.status()).as("status of %s", answer).isEqualTo(202);
    UUID id = UUID.fromString(json.readTree(answer.body()).get("requestId").asString());
    assertThat(requests.find(id).orElseThrow().output())
        .isEqualTo(new Output(OutputFormat.JPEG, Output.AUTO_QUALITY, 800, 600));
  }

  private int stored() {
    return requests.recent(0, 100).size();
  }

  private JsonNode problem(Answer answer, String field) {
    assertThat(answer.status()).as("status of %s", answer).isEqualTo(400);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = json.readTree(answer.body());
    assertThat(problem.get("type").asString()).isEqualTo("/problems/invalid-upload");
    assertThat(problem.get("title").asString()).isEqualTo("Invalid upload");
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("instance").asString()).isEqualTo("/upload");
    assertThat(problem.get("field").asString()).isEqualTo(field);
    return problem;
  }

  private Answer upload(String fields) {
    String body =
        fields
            + "--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"products.csv\"\r\n"
            + "Content-Type: text/csv\r\n\r\n"
            + CSV
            + "\r\n--"
            + BOUNDARY
            + "--\r\n";
    return http.post(
        "/upload",
        "multipart/form-data; boundary=" + BOUNDARY,
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static String field(String name, String value) {
    return "--"
        + BOUNDARY
        + "\r\nContent-Disposition: form-data; name=\""
        + name
        + "\"\r\n\r\n"
        + value
        + "\r\n";
  }
}
