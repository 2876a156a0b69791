package io.imgpress.web;

import io.imgpress.request.RequestStatus;
import java.util.UUID;

/** The 202 answer to an upload. */
record UploadResponse(
    UUID requestId, RequestStatus status, int totalImages, String statusUrl, String csvUrl) {}
