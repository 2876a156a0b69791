package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.RawHttp;
import io.imgpress.support.RawHttp.Answer;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error answer is {@code application/problem+json} with status, title and detail, whoever
 * produces it: the connector refusing a request line, the container refusing a URI or a method, a
 * filter failing, or Spring MVC failing to read parameters or a multipart body. Sent over raw
 * sockets, because real clients normalise or refuse to send most of these requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ErrorAnswersTest {

  static final String CSV =
      "S. No.,Product Name,Input Image Urls\r\n1,SKU1,https://images.example.com/a.jpg\r\n";
  static final String BOUNDARY = "imgpress-test-boundary";
  static final Charset UTF8 = StandardCharsets.UTF_8;
  static Path dataDir;

  final JsonMapper json = JsonMapper.builder().build();
  @LocalServerPort int port;
  RawHttp http;

  @BeforeAll
  static void createDataDir() throws IOException {
    dataDir = Files.createTempDirectory("imgpress-errors");
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
  }

  @BeforeEach
  void client() {
    http = new RawHttp(port);
  }

  @Test
  void encodedSlashInThePathIsABadRequestProblem() {
    problem(http.send("GET /status/abc%2Fdef HTTP/1.1"), 400);
  }

  @Test
  void encodedNulInThePathIsABadRequestProblem() {
    problem(http.send("GET /status/abc%00def HTTP/1.1"), 400);
  }

  @Test
  void malformedRequestLineIsABadRequestProblem() {
    problem(http.send("GET /status/a b c HTTP/1.1"), 400);
    problem(http.send("GET /status/a|b HTTP/1.1"), 400);
  }

  @Test
  void overLongUrlIsAUriTooLongProblem() {
    JsonNode problem = problem(http.send("GET /" + "a".repeat(20_000) + " HTTP/1.1"), 414);
    assertThat(problem.get("detail").asString()).contains("URL");
  }

  @Test
  void overLongHeadersAreAHeaderFieldsTooLargeProblem() {
    JsonNode problem =
        problem(http.send("GET /requests HTTP/1.1", "X-Padding: " + "a".repeat(20_000)), 431);
    assertThat(problem.get("detail").asString()).contains("headers");
  }

  @Test
  void traceIsAMethodNotAllowedProblem() {
    Answer answer = http.send("TRACE /requests HTTP/1.1");
    problem(answer, 405);
    assertThat(answer.header("Allow")).doesNotContain("TRACE");
  }

  @Test
  void moreThanAThousandQueryParametersAreABadRequestProblem() {
    String query =
        IntStream.range(0, 1_100).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));
    JsonNode problem = problem(http.send("GET /requests?" + query + " HTTP/1.1"), 400);
    assertThat(problem.get("detail").asString()).contains("parameters");
  }

  @Test
  void tooManyParametersOnAnUploadAreNamedAsSuch() {
    String query =
        IntStream.range(0, 1_100).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));
    Answer answer =
        http.post(
            "/upload?" + query,
            "multipart/form-data; boundary=" + BOUNDARY,
            (filePart(CSV) + end()).getBytes(UTF8));
    JsonNode problem = problem(answer, 400);
    assertThat(problem.get("type").asString()).isEqualTo("/problems/invalid-parameters");
  }

  @Test
  void badlyEncodedQueryParameterIsABadRequestProblem() {
    problem(http.send("GET /requests?page=%zz HTTP/1.1"), 400);
  }

  @Test
  void multipartWithoutBoundaryIsABadRequestProblem() {
    JsonNode problem =
        problem(http.post("/upload", "multipart/form-data", filePart(CSV).getBytes(UTF8)), 400);
    assertThat(problem.get("detail").asString()).contains("boundary");
  }

  @Test
  void truncatedMultipartBodyIsABadRequestProblem() {
    // The closing boundary never comes: the body ends inside the file part.
    String body = filePart(CSV).substring(0, filePart(CSV).length() - 10);
    JsonNode problem = problem(upload(body), 400);
    assertThat(problem.get("detail").asString()).contains("multipart");
  }

  @Test
  void brokenChunkedBodyIsABadRequestProblem() {
    Answer answer =
        http.exchange(
            ("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: multipart/form-data; boundary="
                    + BOUNDARY
                    + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                .getBytes(UTF8));
    problem(answer, 400);
  }

  @Test
  void moreThanFiftyPartsAreRefusedForTheirNumberNotTheirSize() {
    String fields =
        IntStream.range(0, 60).mapToObj(i -> field("extra" + i, "x")).collect(Collectors.joining());
    JsonNode problem = problem(upload(fields + filePart(CSV) + end()), 400);
    assertThat(problem.get("type").asString()).isEqualTo("/problems/too-many-parts");
    assertThat(problem.get("detail").asString())
        .contains("parts")
        .doesNotContainIgnoringCase("size");
  }

  @Test
  void twoFilePartsAreRefusedNamingTheField() {
    String second = CSV.replace("a.jpg", "b.jpg");
    JsonNode problem = problem(upload(filePart(CSV) + filePart(second) + end()), 400);
    assertThat(problem.get("type").asString()).isEqualTo("/problems/invalid-upload");
    assertThat(problem.get("field").asString()).isEqualTo("file");
  }

  @Test
  void aRepeatedFormFieldIsRefusedNamingTheField() {
    // Spring would join the two values with a comma: "https://a.example/h,https://b.example/h"
    // is a valid URL, and the webhook would go to neither receiver.
    String hooks =
        field("webhookUrl", "https://a.example/h") + field("webhookUrl", "https://b.example/h");
    JsonNode problem = problem(upload(hooks + filePart(CSV) + end()), 400);
    assertThat(problem.get("field").asString()).isEqualTo("webhookUrl");
  }

  @Test
  void failureInAFilterIsAnInternalErrorProblemWithoutItsCause() {
    JsonNode problem = problem(http.send("GET /test-only/failing-filter HTTP/1.1"), 500);
    assertThat(problem.get("type").asString()).isEqualTo("/problems/internal-error");
    assertThat(problem.toString()).doesNotContain("secret detail of the failure");
  }

  @Test
  void theErrorPathItselfIsNotAnEndpoint() {
    problem(http.send("GET /error HTTP/1.1"), 404);
  }

  @Test
  void unknownPathIsANotFoundProblem() {
    problem(http.send("GET /no/such/thing HTTP/1.1", "Accept: text/html"), 404);
  }

  private JsonNode problem(Answer answer, int status) {
    assertThat(answer.status()).as("status of %s", answer).isEqualTo(status);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.body())
        .doesNotContainIgnoringCase("<html")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    JsonNode problem = json.readTree(answer.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asString()).isNotBlank();
    assertThat(problem.get("detail").asString()).isNotBlank();
    return problem;
  }

  private Answer upload(String body) {
    return http.post("/upload", "multipart/form-data; boundary=" + BOUNDARY, body.getBytes(UTF8));
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

  private static String filePart(String csv) {
    return "--"
        + BOUNDARY
        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"products.csv\"\r\n"
        + "Content-Type: text/csv\r\n\r\n"
        + csv
        + "\r\n";
  }

  private static String end() {
    return "--" + BOUNDARY + "--\r\n";
  }

  /** A filter that fails outside Spring MVC, where the advice cannot see it. */
  @TestConfiguration
  static class FailingFilter {
    @Bean
    FilterRegistrationBean<Filter> failingFilter() {
      FilterRegistrationBean<Filter> registration =
          new FilterRegistrationBean<>(
              (request, response, chain) -> {
                throw new IllegalStateException("secret detail of the failure");
              });
      registration.addUrlPatterns("/test-only/failing-filter");
      return registration;
    }
  }
}
