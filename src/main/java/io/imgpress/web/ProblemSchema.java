package io.imgpress.web;

import io.imgpress.request.RequestStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.net.URI;
import java.util.List;

/**
 * The body of every error, for the OpenAPI description only: {@link ProblemAdvice} builds it as a
 * {@link org.springframework.http.ProblemDetail}. Extension members appear only with the problem
 * type that names them.
 */
@Schema(
    name = "Problem",
    description =
        "An RFC 9457 problem (application/problem+json). Extension members appear only with the"
            + " type noted on them.")
record ProblemSchema(
    @Schema(
            description =
                "What kind of problem: a path under /problems/; absent (about:blank) for a plain"
                    + " HTTP error such as an unknown image, a missing form part or an oversized"
                    + " body",
            allowableValues = {
              "/problems/invalid-csv",
              "/problems/invalid-upload",
              "/problems/invalid-multipart",
              "/problems/too-many-parts",
              "/problems/invalid-parameters",
              "/problems/request-not-found",
              "/problems/request-not-final",
              "/problems/invalid-query",
              "/problems/too-many-streams",
              "/problems/backlog-full",
              "/problems/api-key-required",
              "/problems/limit-reached",
              "/problems/webhook-secret-unavailable",
              "/problems/origin-not-allowed",
              "/problems/temporarily-unavailable",
              "/problems/internal-error",
              "about:blank"
            },
            format = "uri-reference",
            example = "/problems/invalid-csv")
        URI type,
    @Schema(
            description = "Short summary of the type",
            example = "Invalid CSV",
            requiredMode = RequiredMode.REQUIRED)
        String title,
    @Schema(description = "The HTTP status", example = "400", requiredMode = RequiredMode.REQUIRED)
        int status,
    @Schema(
            description = "What went wrong this time, for a person",
            example = "line 2: empty product name",
            requiredMode = RequiredMode.REQUIRED)
        String detail,
    @Schema(description = "The path that was called", format = "uri-reference", example = "/upload")
        URI instance,
    @Schema(
            description =
                "invalid-csv: every problem found (up to imgpress.intake.max-errors, 100 by"
                    + " default); nothing of the upload was stored")
        List<ProblemAdvice.ErrorView> errors,
    @Schema(
            description = "invalid-upload: the form field at fault; invalid-query: the parameter",
            allowableValues = {
              "file",
              "webhookUrl",
              "quality",
              "format",
              "maxWidth",
              "maxHeight",
              "page",
              "size",
              "since",
              "Last-Event-ID"
            },
            example = "quality")
        String field,
    @Schema(description = "request-not-final: the request's status now", example = "processing")
        RequestStatus requestStatus,
    @Schema(description = "request-not-final: images in the request", example = "3")
        Integer totalImages,
    @Schema(description = "request-not-final: images already final", example = "1")
        Integer processedImages,
    @Schema(description = "request-not-final: the failed part of processedImages", example = "0")
        Integer failedImages,
    @Schema(
            description =
                "limit-reached: the per-owner limit reached, by its name under"
                    + " imgpress.security.limits",
            allowableValues = {"max-unfinished-requests", "images-per-hour"},
            example = "images-per-hour")
        String limit) {}
