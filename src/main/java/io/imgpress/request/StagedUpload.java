package io.imgpress.request;

import io.imgpress.request.NewRequest.NewProduct;
import java.util.List;

/**
 * The validated rows of a request not yet expanded into images. Its images already have their ids:
 * {@code firstImageId}, {@code firstImageId + 1}, … in input order (product by product), the ids
 * expansion gives them.
 */
public record StagedUpload(long firstImageId, List<NewProduct> products) {

  public StagedUpload {
    products = List.copyOf(products);
  }
}
