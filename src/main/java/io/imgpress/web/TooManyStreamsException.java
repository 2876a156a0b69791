package io.imgpress.web;

/** Every event stream slot is taken (or the service is stopping); the client should poll. */
class TooManyStreamsException extends RuntimeException {

  TooManyStreamsException(String message) {
    super(message);
  }
}
