package io.imgpress.web;

import io.imgpress.PublicUrls;
import io.imgpress.intake.ResultCsvWriter;
import io.imgpress.request.Request;
import io.imgpress.request.RequestNotFinalException;
import io.imgpress.request.RequestNotFoundException;
import io.imgpress.request.RequestRepository;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** {@code GET /status/{id}} and {@code GET /csv/{id}}. */
@RestController
class RequestController {

  static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

  private final RequestRepository requests;
  private final PublicUrls urls;

  RequestController(RequestRepository requests, PublicUrls urls) {
    this.requests = requests;
    this.urls = urls;
  }

  @GetMapping(path = "/status/{requestId}", produces = MediaType.APPLICATION_JSON_VALUE)
  StatusResponse status(@PathVariable String requestId) {
    Request request = find(requestId);
    var products = requests.products(request.id());
    if (products.isEmpty()) {
      var staged = requests.staged(request.id());
      if (staged.isPresent()) {
        return StatusResponse.staged(request, staged.get());
      }
      products = requests.products(request.id()); // expanded between the two reads
    }
    return StatusResponse.of(request, products, urls);
  }

  @GetMapping("/csv/{requestId}")
  ResponseEntity<StreamingResponseBody> csv(@PathVariable String requestId) {
    Request request = find(requestId);
    if (!request.status().isFinal()) {
      throw new RequestNotFinalException(request);
    }
    var products = requests.products(request.id());
    StreamingResponseBody body =
        out -> {
          Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          ResultCsvWriter.write(products, urls::absolute, writer);
          writer.flush();
        };
    return ResponseEntity.ok()
        .contentType(TEXT_CSV)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename("imgpress-" + request.id() + ".csv")
                .build()
                .toString())
        .body(body);
  }

  private Request find(String requestId) {
    UUID id = RequestIds.parse(requestId);
    return requests.find(id).orElseThrow(() -> new RequestNotFoundException(id));
  }
}
