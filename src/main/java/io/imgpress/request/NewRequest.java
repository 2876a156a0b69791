package io.imgpress.request;

import java.util.List;
import java.util.UUID;

/**
 * A validated upload, ready to be stored. {@code owner} names who made it (the owner of the API key
 * it came with); null when the service runs without keys, where there is no owner to tell apart.
 */
public record NewRequest(
    UUID id, String owner, int quality, String webhookUrl, List<NewProduct> products) {

  public NewRequest {
    products = List.copyOf(products);
  }

  /** A request without an owner, as uploads make when no API keys are configured. */
  public NewRequest(UUID id, int quality, String webhookUrl, List<NewProduct> products) {
    this(id, null, quality, webhookUrl, products);
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
