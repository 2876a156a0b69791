package io.imgpress.web;

import io.imgpress.request.RequestNotFoundException;
import java.util.UUID;
import java.util.regex.Pattern;

/** Request ids are UUIDs; anything else cannot name a request, so it is simply not found. */
final class RequestIds {

  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private RequestIds() {}

  static UUID parse(String raw) {
    if (raw == null || !UUID_TEXT.matcher(raw).matches()) {
      throw new MalformedIdException(raw);
    }
    return UUID.fromString(raw);
  }

  /** Not a {@link RequestNotFoundException}: the id could not name any request at all. */
  static final class MalformedIdException extends RuntimeException {
    MalformedIdException(String raw) {
      super("not a request id");
    }
  }
}
