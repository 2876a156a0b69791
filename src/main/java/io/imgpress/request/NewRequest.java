package io.imgpress.request;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A validated upload, ready to be stored. {@code owner} names who made it (the owner of the API key
 * it came with); null when the service runs without keys, where there is no owner to tell apart.
 * {@code output} is how its images are written.
 */
public record NewRequest(
    UUID id, String owner, Output output, String webhookUrl, List<NewProduct> products) {

  public NewRequest {
    Objects.requireNonNull(output, "output");
    products = List.copyOf(products);
  }

  /** JPEGs of a fixed quality at the source's size, as before outputs had options. */
  public NewRequest(
      UUID id, String owner, int quality, String webhookUrl, List<NewProduct> products) {
    this(id, owner, Output.jpeg(quality), webhookUrl, products);
  }

  /** A request without an owner, as uploads make when no API keys are configured. */
  public NewRequest(UUID id, int quality, String webhookUrl, List<NewProduct> products) {
    this(id, null, quality, webhookUrl, products);
  }

  /** The quality field as stored before outputs had options: 1–100, or 0 for automatic. */
  public int quality() {
    return output.quality();
  }

  public int totalImages() {
    return products.stream().mapToInt(p -> p.inputUrls().size()).sum();
  }

  public record NewProduct(long serialNumber, String name, List<String> inputUrls) {
    public NewProduct {
      inputUrls = List.copyOf(inputUrls);
    }
  }
}
