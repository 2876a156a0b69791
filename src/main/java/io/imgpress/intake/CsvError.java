package io.imgpress.intake;

/**
 * One problem found in an upload, phrased for the person who made the file.
 *
 * @param line 1-based line where the offending record starts (for file-level problems: where
 *     reading stopped)
 * @param column canonical header name ({@code "S. No."}, {@code "Product Name"}, {@code "Input
 *     Image Urls"}), or {@code null} when the whole row or file is at fault
 */
public record CsvError(int line, String column, String message) {}
