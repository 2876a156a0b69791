package io.imgpress.request;

import java.util.UUID;

/** No request has this id. */
public class RequestNotFoundException extends RuntimeException {

  public RequestNotFoundException(UUID id) {
    super("no request with id " + id);
  }
}
