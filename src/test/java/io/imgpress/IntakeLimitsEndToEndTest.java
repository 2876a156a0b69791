package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.RequestRepository;
import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Uploads holding values the database cannot store, too many images, or rows whose expansion into
 * images fails: each ends in an answer (400, 413) or in a final request, never in a request pending
 * forever. The request store is wrapped so that the expansion of an upload with quality {@value
 * #BROKEN_QUALITY} fails like a value too long for its column, and with quality {@value
 * #FLAKY_QUALITY} like a database that never comes back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IntakeLimitsEndToEndTest {

  static final int BROKEN_QUALITY = 13;
  static final int FLAKY_QUALITY = 14;
  static final List<String> webhooks = new CopyOnWriteArrayList<>();
  static LoopbackServer receiver;
  static Path dataDir;

  @LocalServerPort int port;
  ApiClient api;

  @BeforeAll
  static void start() throws IOException {
    receiver =
        new LoopbackServer()
            .on(
                "/hook",
                ex -> {
                  webhooks.add(
                      new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                  LoopbackServer.respond(ex, 204, "text/plain", new byte[0]);
                });
    dataDir = Files.createTempDirectory("imgpress-limits");
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
    registry.add("imgpress.processing.poll-interval", () -> "100ms");
    registry.add("imgpress.intake.max-images", () -> "10");
    registry.add("imgpress.intake.max-attempts", () -> "3");
    registry.add("imgpress.intake.initial-backoff", () -> "50ms");
  }

  @BeforeEach
  void client() {
    api = new ApiClient("http://127.0.0.1:" + port);
  }

  @Test
  void refusesAUrlTheDatabaseCannotHoldWithItsLineAndColumn() {
    String longUrl = "http://a.example/" + "x".repeat(4097 - 17);
    String csv =
        "S. No.,Product Name,Input Image Urls\n"
            + "1,SKU1,http://a.example/1.jpg\n"
            + "2,SKU2,\"http://a.example/2.jpg,%s\"\n".formatted(longUrl)
            + "3,%s,http://a.example/3.jpg\n".formatted("n".repeat(2001));

    HttpResponse<String> response = api.upload(csv, Map.of());

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode errors = api.json(response.body()).get("errors");
    assertThat(errors.size()).isEqualTo(2);
    assertThat(errors.get(0).get("line").asInt()).isEqualTo(3);
    assertThat(errors.get(0).get("column").asString()).isEqualTo("Input Image Urls");
    assertThat(errors.get(0).get("message").asString()).endsWith("is longer than 4096 characters");
    assertThat(errors.get(1).get("line").asInt()).isEqualTo(4);
    assertThat(errors.get(1).get("column").asString()).isEqualTo("Product Name");
    assertThat(errors.get(1).get("message").asString())
        .isEqualTo("product name is longer than 2000 characters");
  }

  @Test
  void refusesMoreImagesThanTheLimitWith413() {
    String csv =
        "S. No.,Product Name,Input Image Urls\n"
            + "1,SKU1,\"%s\"\n".formatted(urls(1, 6))
            + "2,SKU2,\"%s\"\n".formatted(urls(2, 5));

    HttpResponse<String> response = api.upload(csv, Map.of());

    assertThat(response.statusCode()).isEqualTo(413);
    JsonNode problem = api.json(response.body());
    assertThat(problem.get("detail").asString()).contains("more than 10 images");
    assertThat(problem.get("errors").get(0).get("line").asInt()).isEqualTo(3);
  }

  @Test
  void aRequestWhoseRowsCannotBeStoredFailsWithItsReasonItsCsvAndItsWebhook() {
    String id = upload(BROKEN_QUALITY);

    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));

    assertThat(status.get("status").asString()).isEqualTo("failed");
    assertThat(status.get("processedImages").asInt()).isEqualTo(3);
    assertThat(status.get("failedImages").asInt()).isEqualTo(3);
    JsonNode image = status.get("products").get(0).get("images").get(0);
    assertThat(image.get("status").asString()).isEqualTo("failed");
    assertThat(image.get("error").asString())
        .startsWith("the upload could not be stored for processing")
        .contains("Value too long for column");

    HttpResponse<String> csv = api.get("/csv/" + id);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.body().split("\r\n"))
        .containsExactly(
            "S. No.,Product Name,Input Image Urls,Output Image Urls",
            "1,\"SKU1\",\"http://a.example/1/1.jpg,http://a.example/1/2.jpg\",\",\"",
            "2,\"SKU2\",\"http://a.example/2/1.jpg\",\"\"");
    assertThat(awaitWebhook(id).get("status").asString()).isEqualTo("failed");
  }

  @Test
  void aRequestWhoseExpansionKeepsFailingFailsAfterTheConfiguredAttempts() {
    String id = upload(FLAKY_QUALITY);

    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));

    assertThat(status.get("status").asString()).isEqualTo("failed");
    assertThat(status.get("products").get(0).get("images").get(0).get("error").asString())
        .startsWith("the upload could not be processed after 3 attempts")
        .contains("database went away");
    assertThat(api.get("/csv/" + id).statusCode()).isEqualTo(200);
    assertThat(awaitWebhook(id).get("status").asString()).isEqualTo("failed");
  }

  private String upload(int quality) {
    String csv =
        "S. No.,Product Name,Input Image Urls\n"
            + "1,SKU1,\"%s\"\n".formatted(urls(1, 2))
            + "2,SKU2,%s\n".formatted(urls(2, 1));
    HttpResponse<String> accepted =
        api.upload(
            csv, Map.of("quality", Integer.toString(quality), "webhookUrl", receiver.url("/hook")));
    assertThat(accepted.statusCode()).isEqualTo(202);
    return api.json(accepted.body()).get("requestId").asString();
  }

  private static String urls(int product, int count) {
    StringBuilder urls = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      urls.append(i == 1 ? "" : ",").append("http://a.example/%d/%d.jpg".formatted(product, i));
    }
    return urls.toString();
  }

  private JsonNode awaitWebhook(String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (String body : webhooks) {
        JsonNode payload = api.json(body);
        if (payload.get("requestId").asString().equals(id)) {
          return payload;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no webhook for " + id);
  }

  @TestConfiguration
  static class BrokenExpansion {

    /** Wraps the request store so that expanding some uploads fails, as described above. */
    @Bean
    static BeanPostProcessor brokenExpansion() {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
          if (!(bean instanceof RequestRepository store) || Proxy.isProxyClass(bean.getClass())) {
            return bean;
          }
          return Proxy.newProxyInstance(
              RequestRepository.class.getClassLoader(),
              new Class<?>[] {RequestRepository.class},
              (proxy, method, args) -> {
                if (method.getName().equals("expand")) {
                  int quality = store.find((UUID) args[0]).orElseThrow().quality();
                  if (quality == BROKEN_QUALITY) {
                    throw new DataIntegrityViolationException(
                        "Value too long for column \"INPUT_URL CHARACTER VARYING(4096)\"");
                  }
                  if (quality == FLAKY_QUALITY) {
                    throw new TransientDataAccessResourceException("database went away");
                  }
                }
                try {
                  return method.invoke(store, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
        }
      };
    }
  }
}
