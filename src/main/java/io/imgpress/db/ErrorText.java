package io.imgpress.db;

/** Fits an error message into the {@code varchar(500)} error columns of the schema. */
public final class ErrorText {

  public static final int MAX = 500;

  private ErrorText() {}

  public static String fit(String error) {
    return error == null || error.length() <= MAX ? error : error.substring(0, MAX - 3) + "...";
  }
}
