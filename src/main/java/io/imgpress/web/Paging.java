package io.imgpress.web;

/** A page of a listing, as asked for in {@code ?page=&size=}; zero-based. */
record Paging(int page, int size) {

  static final int MAX_SIZE = 100;
  // Keeps page * size inside an int offset for sizes up to 1000.
  static final int MAX_PAGE = 1_000_000;

  static Paging parse(String page, String size) {
    return parse(page, size, MAX_SIZE);
  }

  static Paging parse(String page, String size, int maxSize) {
    return new Paging(number("page", page, 0, MAX_PAGE), number("size", size, 1, maxSize));
  }

  int offset() {
    return page * size;
  }

  private static int number(String field, String raw, int min, int max) {
    int value;
    try {
      value = Integer.parseInt(raw.strip());
    } catch (NumberFormatException e) {
      value = min - 1;
    }
    if (value < min || value > max) {
      throw new InvalidQueryException(
          field, "%s must be a whole number from %d to %d".formatted(field, min, max));
    }
    return value;
  }
}
