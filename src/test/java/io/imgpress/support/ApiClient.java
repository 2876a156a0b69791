package io.imgpress.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to a running imgpress over real HTTP, as a client would. */
public final class ApiClient {

  private final String base;
  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();
  private final String key;

  public ApiClient(String base) {
    this(base, null);
  }

  private ApiClient(String base, String key) {
    this.base = base;
    this.key = key;
  }

  /** The same client sending {@code Authorization: Bearer <key>} with every call. */
  public ApiClient withKey(String apiKey) {
    return new ApiClient(base, apiKey);
  }

  public HttpResponse<String> upload(String csv, Map<String, String> fields) {
    return upload(csv, fields, Map.of());
  }

  /** An upload with extra request headers, such as a browser's {@code Origin}. */
  public HttpResponse<String> upload(
      String csv, Map<String, String> fields, Map<String, String> headers) {
    String boundary = "imgpress-" + UUID.randomUUID();
    StringBuilder body = new StringBuilder();
    fields.forEach(
        (name, value) ->
            body.append("--")
                .append(boundary)
                .append("\r\n")
                .append("Content-Disposition: form-data; name=\"")
                .append(name)
                .append("\"\r\n\r\n")
                .append(value)
                .append("\r\n"));
    body.append("--")
        .append(boundary)
        .append("\r\n")
        .append("Content-Disposition: form-data; name=\"file\"; filename=\"products.csv\"\r\n")
        .append("Content-Type: text/csv\r\n\r\n")
        .append(csv)
        .append("\r\n")
        .append("--")
        .append(boundary)
        .append("--\r\n");
    HttpRequest.Builder request =
        authorized(HttpRequest.newBuilder(URI.create(base + "/upload")))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    headers.forEach(request::header);
    return send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String pathOrUrl) {
    return send(request(pathOrUrl).build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> delete(String pathOrUrl) {
    return send(request(pathOrUrl).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<byte[]> getBytes(String pathOrUrl) {
    return send(request(pathOrUrl).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A conditional GET, as a browser or CDN revalidating its copy sends it. */
  public HttpResponse<byte[]> revalidate(String pathOrUrl, String etag) {
    return send(
        request(pathOrUrl).header("If-None-Match", etag).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  public JsonNode json(String body) {
    return json.readTree(body);
  }

  /** Polls the status until the request is final or the timeout passes. */
  public JsonNode awaitFinal(String requestId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode status;
    do {
      status = json(get("/status/" + requestId).body());
      String s = status.get("status").asString();
      if (s.equals("completed") || s.equals("failed")) {
        return status;
      }
      sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("request not final in " + timeout + ": " + status);
  }

  private HttpRequest.Builder request(String pathOrUrl) {
    URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
    return authorized(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)));
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    return key == null ? request : request.header("Authorization", "Bearer " + key);
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
