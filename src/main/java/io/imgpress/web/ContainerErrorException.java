package io.imgpress.web;

/**
 * An error the servlet container raised with nothing but a status (for example 405 for TRACE, which
 * it refuses itself), handed to {@link ProblemAdvice} so it is answered like any other.
 */
class ContainerErrorException extends RuntimeException {

  private final int status;

  ContainerErrorException(int status) {
    super("HTTP " + status + " from the servlet container");
    this.status = status;
  }

  int status() {
    return status;
  }
}
