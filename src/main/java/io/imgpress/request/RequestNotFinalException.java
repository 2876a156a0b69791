package io.imgpress.request;

/** The result CSV was asked for before every image of the request was final. */
public class RequestNotFinalException extends RuntimeException {

  private final transient Request request;

  public RequestNotFinalException(Request request) {
    super(
        "request %s is still %s: %d of %d images processed"
            .formatted(
                request.id(),
                request.status().wire(),
                request.processedImages(),
                request.totalImages()));
    this.request = request;
  }

  public Request request() {
    return request;
  }
}
