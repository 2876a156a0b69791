package io.imgpress.web;

import io.imgpress.PublicUrls;
import io.imgpress.intake.InvalidUploadException;
import io.imgpress.intake.UploadService;
import io.imgpress.request.NewRequest;
import io.imgpress.request.RequestStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** {@code POST /upload}: validates the CSV and answers 202 with the new request's id at once. */
@RestController
class UploadController {

  private final UploadService uploads;
  private final PublicUrls urls;
  private final UploadMetrics metrics;

  UploadController(UploadService uploads, PublicUrls urls, UploadMetrics metrics) {
    this.uploads = uploads;
    this.urls = urls;
    this.metrics = metrics;
  }

  @PostMapping(path = "/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  ResponseEntity<UploadResponse> upload(
      @RequestPart("file") MultipartFile file,
      @RequestParam(name = "webhookUrl", required = false) String webhookUrl,
      @RequestParam(name = "quality", required = false) String quality)
      throws IOException {
    NewRequest request;
    try {
      request = submit(file, webhookUrl, quality);
    } catch (RuntimeException e) {
      metrics.failed(e);
      throw e;
    }
    metrics.accepted();
    return ResponseEntity.accepted()
        .location(URI.create("/status/" + request.id()))
        .body(
            new UploadResponse(
                request.id(),
                RequestStatus.PENDING,
                request.totalImages(),
                urls.statusUrl(request.id()),
                urls.csvUrl(request.id())));
  }

  private NewRequest submit(MultipartFile file, String webhookUrl, String quality)
      throws IOException {
    if (file.isEmpty()) {
      throw new InvalidUploadException("file", "the uploaded CSV is empty");
    }
    try (InputStream in = file.getInputStream()) {
      return uploads.submit(in, webhookUrl, quality);
    }
  }
}
