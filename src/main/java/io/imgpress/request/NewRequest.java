package io.imgpress.request;

import java.util.List;
import java.util.UUID;

/** A validated upload, ready to be stored. */
public record NewRequest(UUID id, int quality, String webhookUrl, List<NewProduct> products) {

  public NewRequest {
    products = List.copyOf(products);
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
