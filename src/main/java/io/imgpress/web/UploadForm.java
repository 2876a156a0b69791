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
            description =
                "Quality of the outputs: a whole number from 1 to 100 (50 unless"
                    + " imgpress.image.default-quality says otherwise), or auto (any case) for the"
                    + " lowest quality whose output stays within a perceptual target of the"
                    + " source, chosen per image and shown as the image's quality in /status",
            // A string with a pattern rather than oneOf integer|string: form fields are text, and
            // generated clients turn a oneOf into a wrapper object they cannot write as a field.
            pattern = "^([1-9][0-9]?|100|[Aa][Uu][Tt][Oo])$",
            example = "60")
        String quality,
    @Schema(
            description =
                "Format of the outputs; file extension, Content-Type and the result CSV's URLs"
                    + " follow it. jpg is taken for jpeg, and any case. webp and avif need the"
                    + " native engine (libvips): a service running the portable engine refuses"
                    + " them (400 invalid-upload, field format). A process of role api, which"
                    + " runs no engine, takes every format",
            allowableValues = {"jpeg", "webp", "avif"},
            defaultValue = "jpeg",
            example = "webp")
        String format,
    @Schema(
            description =
                "The widest an output may be, in pixels: a wider image is scaled down with its"
                    + " aspect kept, a narrower one is never scaled up. Absent: no limit",
            minimum = "1",
            maximum = "16384",
            example = "1600")
        Integer maxWidth,
    @Schema(
            description =
                "The tallest an output may be, in pixels, as maxWidth; with both, the output"
                    + " fits the box. Absent: no limit",
            minimum = "1",
            maximum = "16384",
            example = "1600")
        Integer maxHeight) {}
