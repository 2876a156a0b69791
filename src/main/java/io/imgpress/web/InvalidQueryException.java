package io.imgpress.web;

/** A query parameter out of its range or not a number; names the parameter. */
class InvalidQueryException extends RuntimeException {

  private final String field;

  InvalidQueryException(String field, String message) {
    super(message);
    this.field = field;
  }

  String field() {
    return field;
  }
}
