package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import io.imgpress.openapi.client.ApiClient;
import io.imgpress.openapi.client.ApiException;
import io.imgpress.openapi.client.ApiResponse;
import io.imgpress.openapi.client.api.ImagesApi;
import io.imgpress.openapi.client.api.RequestsApi;
import io.imgpress.openapi.client.api.UploadsApi;
import io.imgpress.openapi.client.model.CsvError;
import io.imgpress.openapi.client.model.Image;
import io.imgpress.openapi.client.model.Problem;
import io.imgpress.openapi.client.model.Product;
import io.imgpress.openapi.client.model.Request;
import io.imgpress.openapi.client.model.UploadAccepted;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A client generated from the committed {@code swagger.yaml} (openapi-generator, Java, {@code
 * native}; see the pom) drives the running service: so the description is not only valid but enough
 * for a tool to upload a CSV, follow a request and read its result. A description the generated
 * code cannot use fails here rather than at a client's site. Calls go through the generated request
 * builders, so a new optional parameter does not change them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GeneratedClientTest {

  static LoopbackServer origin;
  static Path dataDir;
  static byte[] photo = TestImages.jpeg(320, 200, 1);

  @LocalServerPort int port;
  @TempDir Path temp;
  ApiClient client;

  @BeforeAll
  static void startOrigin() throws IOException {
    origin =
        new LoopbackServer()
            .on("/img/a.jpg", ex -> LoopbackServer.respond(ex, 200, "image/jpeg", photo));
    dataDir = Files.createTempDirectory("imgpress-client");
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
    registry.add("imgpress.processing.poll-interval", () -> "100ms");
  }

  @BeforeEach
  void client() {
    client = new ApiClient();
    client.updateBaseUri("http://127.0.0.1:" + port);
    client.setReadTimeout(Duration.ofSeconds(30));
  }

  @Test
  void uploadsFollowsTheRequestAndReadsTheResultCsv() throws Exception {
    String imageUrl = origin.url("/img/a.jpg");
    File csv = csv("S. No.,Product Name,Input Image Urls\n1,SKU1," + imageUrl + "\n");

    ApiResponse<UploadAccepted> upload =
        new UploadsApi(client)
            .uploadWithHttpInfo(
                UploadsApi.APIUploadRequest.newBuilder()._file(csv).quality("60").build());

    assertThat(upload.getStatusCode()).isEqualTo(202);
    UploadAccepted accepted = upload.getData();
    UUID requestId = accepted.getRequestId();
    assertThat(requestId).isNotNull();
    assertThat(accepted.getStatus()).isEqualTo(UploadAccepted.StatusEnum.PENDING);
    assertThat(accepted.getTotalImages()).isEqualTo(1);
    assertThat(upload.getHeaders().get("location")).containsExactly("/status/" + requestId);
    assertThat(accepted.getStatusUrl())
        .isEqualTo("http://localhost:%d/status/%s".formatted(port, requestId));

    RequestsApi requests = new RequestsApi(client);
    Request done = awaitFinal(requests, requestId, Duration.ofSeconds(30));

    assertThat(done.getStatus()).isEqualTo(Request.StatusEnum.COMPLETED);
    assertThat(done.getTotalImages()).isEqualTo(1);
    assertThat(done.getProcessedImages()).isEqualTo(1);
    assertThat(done.getFailedImages()).isZero();
    Product product = done.getProducts().getFirst();
    assertThat(product.getSerialNumber()).isEqualTo(1L);
    assertThat(product.getProductName()).isEqualTo("SKU1");
    Image image = product.getImages().getFirst();
    assertThat(image.getInputUrl()).isEqualTo(imageUrl);
    assertThat(image.getStatus()).isEqualTo(Image.StatusEnum.COMPLETED);
    assertThat(image.getError()).isNull();
    String outputUrl = image.getOutputUrl();
    assertThat(outputUrl)
        .isEqualTo(
            "http://localhost:%d/images/%s/%d.jpg".formatted(port, requestId, image.getImageId()));

    // The output URL leads to the JPEG, fetched through the generated images operation too.
    String fileName = outputUrl.substring(outputUrl.lastIndexOf('/') + 1);
    File jpeg =
        new ImagesApi(client)
            .image(
                ImagesApi.APIImageRequest.newBuilder()
                    .requestId(requestId)
                    ._file(fileName)
                    .build());
    BufferedImage decoded = TestImages.decode(Files.readAllBytes(jpeg.toPath()));
    assertThat(decoded.getWidth()).isEqualTo(320);
    assertThat(decoded.getHeight()).isEqualTo(200);

    File result =
        requests.resultCsv(
            RequestsApi.APIResultCsvRequest.newBuilder().requestId(requestId).build());
    assertThat(result.getName()).isEqualTo("imgpress-" + requestId + ".csv");
    List<String> lines = Files.readAllLines(result.toPath(), StandardCharsets.UTF_8);
    assertThat(lines.getFirst())
        .isEqualTo("S. No.,Product Name,Input Image Urls,Output Image Urls");
    assertThat(lines)
        .hasSize(2)
        .element(1)
        .asString()
        .startsWith("1,")
        .contains("SKU1", imageUrl)
        .endsWith("\"" + outputUrl + "\"");
  }

  @Test
  void aRejectedCsvIsAProblemTheGeneratedModelReads() throws Exception {
    // line 2: a row the tokenizer cannot read (no column); line 3: an empty product name
    File csv =
        csv(
            "S. No.,Product Name,Input Image Urls\n"
                + "1,\"SKU1\"x,https://example.com/a.jpg\n"
                + "2,,https://example.com/b.jpg\n");

    ApiException rejected =
        catchThrowableOfType(
            ApiException.class,
            () ->
                new UploadsApi(client)
                    .upload(UploadsApi.APIUploadRequest.newBuilder()._file(csv).build()));

    assertThat(rejected.getCode()).isEqualTo(400);
    Problem problem = client.getObjectMapper().readValue(rejected.getResponseBody(), Problem.class);
    assertThat(problem.getType()).isEqualTo(Problem.TypeEnum._PROBLEMS_INVALID_CSV);
    assertThat(problem.getStatus()).isEqualTo(400);
    assertThat(problem.getInstance()).isEqualTo("/upload");
    assertThat(problem.getErrors())
        .extracting(CsvError::getLine, CsvError::getColumn)
        .containsExactly(tuple(2, null), tuple(3, CsvError.ColumnEnum.PRODUCT_NAME));
  }

  private Request awaitFinal(RequestsApi requests, UUID requestId, Duration timeout)
      throws ApiException, InterruptedException {
    var request = RequestsApi.APIStatusRequest.newBuilder().requestId(requestId).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    Request status = requests.status(request);
    while (status.getStatus() != Request.StatusEnum.COMPLETED
        && status.getStatus() != Request.StatusEnum.FAILED) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("request not final in " + timeout + ": " + status);
      }
      Thread.sleep(100);
      status = requests.status(request);
    }
    return status;
  }

  private File csv(String content) throws IOException {
    return Files.writeString(temp.resolve("products.csv"), content, StandardCharsets.UTF_8)
        .toFile();
  }
}
