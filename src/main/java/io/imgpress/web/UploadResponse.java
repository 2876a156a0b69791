package io.imgpress.web;

import io.imgpress.request.RequestStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.UUID;

/** The 202 answer to an upload. */
@Schema(name = "UploadAccepted", description = "An accepted upload")
record UploadResponse(
    @Schema(description = "The new request's id", example = ApiExamples.REQUEST_ID) UUID requestId,
    @Schema(description = "Always pending at this point", example = "pending") RequestStatus status,
    @Schema(description = "Images in the request: every URL of every row", example = "3")
        int totalImages,
    @Schema(
            description = "Absolute URL of the request's status",
            example = "https://imgpress.example.com/status/" + ApiExamples.REQUEST_ID)
        String statusUrl,
    @Schema(
            description = "Absolute URL of the result CSV, available once the request is final",
            example = "https://imgpress.example.com/csv/" + ApiExamples.REQUEST_ID)
        String csvUrl) {}
