package io.imgpress.web;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The multipart form of {@code POST /upload}, for the OpenAPI description only: the controller
 * reads the fields one by one, so they may also come as query parameters.
 */
@Schema(name = "UploadForm")
record UploadForm(
    @Schema(
            type = "string",
            format = "binary",
            description =
                "The CSV, UTF-8 (a BOM is allowed). Header: S. No., Product Name, Input Image Urls"
                    + " (matched ignoring case, spaces and punctuation). RFC 4180 quoting; several"
                    + " URLs in one cell are separated by commas. Serial numbers are unique"
                    + " positive integers; every row needs a name and at least one absolute"
                    + " http(s) URL. At most 10 MB, 10,000 rows and 50 URLs per row by default.",
            requiredMode = RequiredMode.REQUIRED)
        String file,
    @Schema(
            description =
                "Absolute http(s) URL (at most 2048 characters) to POST a signed"
                    + " request.completed event to when the request is final. Its host must be"
                    + " public: an IP literal or a name resolving to a loopback, private,"
                    + " link-local or other special address, or a name that does not resolve, is"
                    + " refused (400 invalid-upload, field webhookUrl)",
            format = "uri",
            example = "https://hooks.example.com/imgpress")
        String webhookUrl,
    @Schema(
            description = "JPEG quality of the outputs, 1 to 100",
            minimum = "1",
            maximum = "100",
            defaultValue = "50",
            example = "60")
        Integer quality) {}
